"""Single sign-on with OpenID Connect is configured from the environment alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OIDC_ENV = {
    "OIDC_SERVER_URL": "https://id.police.example/realms/staff",
    "OIDC_CLIENT_ID": "common-ground",
    "OIDC_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_PROVIDER_ID": "police-sso",
    "OIDC_PROVIDER_NAME": "Police SSO",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings
from allauth.socialaccount import providers
print(json.dumps({
    "installed": "allauth.socialaccount.providers.openid_connect" in settings.INSTALLED_APPS,
    "registered": [p.id for p in providers.registry.get_class_list()],
    "apps": settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []),
}))
"""


def run(args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OIDC_") and k != "DJANGO_SETTINGS_MODULE"
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "commonground.settings.test", **env})
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "site"), str(ROOT)])
    return subprocess.run(
        [sys.executable, *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_manage_check_passes_with_oidc_configured():
    result = run([str(ROOT / "manage.py"), "check"], **OIDC_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_openid_connect_provider_is_installed_with_the_environments_values():
    result = run(["-c", PROBE], **OIDC_ENV)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)

    assert probe["installed"]
    assert "openid_connect" in probe["registered"]
    assert probe["apps"] == [
        {
            "provider_id": "police-sso",
            "name": "Police SSO",
            "client_id": "common-ground",
            "secret": "not-a-real-secret",
            "settings": {"server_url": "https://id.police.example/realms/staff"},
        }
    ]


def test_without_oidc_server_url_there_is_no_single_sign_on():
    result = run(["-c", PROBE])
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)

    assert not probe["installed"]
    assert "openid_connect" not in probe["registered"]
    assert probe["apps"] == []


def test_a_server_url_without_client_credentials_refuses_to_start():
    result = run([str(ROOT / "manage.py"), "check"], OIDC_SERVER_URL=OIDC_ENV["OIDC_SERVER_URL"])

    assert result.returncode != 0
    assert "OIDC_CLIENT_ID" in result.stderr
