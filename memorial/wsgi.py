import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
django_application = get_wsgi_application()

# Files and already-built IIIF documents are answered in front of Django (see memorial/fastpath.py).
from memorial.fastpath import FastPath  # noqa: E402  (needs the settings configured above)

application = FastPath(django_application)
