"""WSGI entry point for gunicorn: `gunicorn kaohe.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
os.environ["KAOHE_SERVING"] = "1"
application = get_wsgi_application()
