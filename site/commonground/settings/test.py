"""Tests: fast password hashing, in-memory media and email, no network."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="commonground-test-media-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Tasks run at once in the test process (tests of the queue itself use the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# In-process changes are seen at once; tests of another process's changes set it to 0.
LIBRARY_VERSION_MAX_AGE = 3600
# No embedding in tests unless a test asks for meaning (tests/search/conftest.py meaning).
SEARCH_EMBEDDER = "off"
