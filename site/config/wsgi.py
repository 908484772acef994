import os
import sys
from pathlib import Path

# site/ is a source root (see manage.py); gunicorn imports this file directly.
_BASE = Path(__file__).resolve().parents[2]
for path in (str(_BASE), str(_BASE / "site")):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
