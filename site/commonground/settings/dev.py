"""Development: debug on, a fixed insecure key unless SECRET_KEY is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-not-for-production")
