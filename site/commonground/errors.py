"""The site's own handler for malformed requests (handler400 in the root URLconf)."""

from django.shortcuts import render


def bad_request(request, exception=None):
    """Django's default 400 view is wrapped in requires_csrf_token, which reads the POST body
    once more; a form body Django refuses to parse (one declaring a charset other than UTF-8)
    then raised again inside the error view and reached the server as a 500."""
    return render(request, "400.html", status=400)
