import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registrar.settings")
application = get_wsgi_application()

# Each gunicorn worker starts its own file-reading server now, not on its first upload.
from registrar.sheets.isolation import warm  # noqa: E402

warm()
