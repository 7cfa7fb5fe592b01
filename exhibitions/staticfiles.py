"""A staticfiles finder for the few front-end files the viewers need from node_modules.

Only the listed files are exposed (as static/vendor/...), so collectstatic copies a handful of
files rather than whole packages, and `make run`'s `npm install` is the only set-up step.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

# static path -> path under node_modules
VENDOR_FILES = {
    "vendor/openseadragon/openseadragon.min.js": "openseadragon/build/openseadragon/openseadragon.min.js",
    "vendor/mirador/mirador.min.js": ".memories/mirador.min.js",  # built by frontend/build.mjs
    # The API documentation page (/api/docs/): Swagger UI's standalone bundle and its stylesheet.
    "vendor/swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "vendor/swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}


class NodeModulesFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.root = Path(getattr(settings, "NODE_MODULES_DIR", Path(settings.BASE_DIR) / "node_modules"))

    def check(self, **kwargs):
        missing = [src for src in VENDOR_FILES.values() if not (self.root / src).is_file()]
        if missing:
            return [Error(f"Front-end files missing from node_modules: {', '.join(missing)}.",
                          hint="Run `npm install` (make run does it).", id="exhibitions.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        src = VENDOR_FILES.get(path)
        if src and (self.root / src).is_file():
            found = str(self.root / src)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        # collectstatic writes storage.prefix + path: a storage rooted at the file's folder, with the
        # vendor folder as prefix (source and destination share the file name).
        for dest, src in VENDOR_FILES.items():
            source = self.root / src
            if source.is_file():
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = str(Path(dest).parent)
                yield source.name, storage
