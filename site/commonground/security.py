"""Security headers Django does not set itself.

The whole set, and where each comes from:

- Content-Security-Policy: django-csp's CSPMiddleware, from settings.CONTENT_SECURITY_POLICY
  (strict on the public site; none on /admin/ and /django-admin/, whose editors need inline
  scripts and styles);
- Permissions-Policy: PermissionsPolicyMiddleware below, from settings.PERMISSIONS_POLICY;
- Cross-Origin-Opener-Policy, Referrer-Policy, X-Content-Type-Options and, in production on
  HTTPS, Strict-Transport-Security: Django's SecurityMiddleware;
- X-Frame-Options: Django's XFrameOptionsMiddleware.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Adds settings.PERMISSIONS_POLICY (a header value; empty turns it off) to every
    response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
