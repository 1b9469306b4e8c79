"""Production settings: no secret, no start; with one, Django's deployment checks pass."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # Nothing of the test run leaks in (the browser tests allow async-unsafe calls, which
    # the deployment check rightly refuses).
    inherited = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update({"DJANGO_SETTINGS_MODULE": "commonground.settings.production", **env})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="commonground.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_settings_are_not_fit_for_deployment():
    """Proves the check above can fail: dev settings trip DEBUG and the insecure key."""
    result = manage("check", "--deploy", DJANGO_SETTINGS_MODULE="commonground.settings.dev")
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_production_keeps_the_security_headers():
    """Production rebuilds the middleware list (WhiteNoise first): the CSP and
    Permissions-Policy middleware still run, right after Django's SecurityMiddleware."""
    script = (
        "from django.conf import settings as s; "
        "print(s.MIDDLEWARE[:4]); print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.X_FRAME_OPTIONS, "
        "s.CONTENT_SECURITY_POLICY['EXCLUDE_URL_PREFIXES'])"
    )
    result = manage("shell", "-v", "0", "-c", script, SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr
    middleware, values = result.stdout.strip().splitlines()
    assert middleware == str(
        [
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "csp.middleware.CSPMiddleware",
            "commonground.security.PermissionsPolicyMiddleware",
        ]
    )
    assert values == "31536000 True same-origin DENY ['/admin/', '/django-admin/']"


def test_production_runs_on_the_documented_redis_cache():
    """docs/deployment.md sets CACHE_URL=redis://...: the client Django's Redis backend needs
    is installed, and the cache answers (Redis runs on the CI machine)."""
    script = (
        "from django.core.cache import cache, caches; cache.set('cg-probe', 'ok', 5); "
        "print(type(caches['default']).__name__, cache.get('cg-probe'))"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        SECRET_KEY=secrets.token_urlsafe(64),
        CACHE_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "ok"]
