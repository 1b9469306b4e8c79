"""WSGI entry point. site/ is put on the path here too, so `gunicorn commonground.wsgi`
works when started from the repository root with --pythonpath site."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.production")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
