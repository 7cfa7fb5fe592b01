"""manage.py rebase_media: every published info.json rewritten for the current public base.

The IIIF image service's info.json is the one public file that holds an absolute address (its
`id`, from SITE_URL or S3_PUBLIC_DOMAIN at publication). Everything else (media URLs in pages,
manifests, search results, the change stream) is built at read time. After the site moves (another
host, port or domain) run this once; `make run` runs it at every start.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from media_pipeline import services
from media_pipeline.models import MediaAsset


class Command(BaseCommand):
    help = "Rewrite every published IIIF info.json for the current public base (SITE_URL or the bucket's domain)."

    def handle(self, *args, **options):
        changed = total = 0
        for asset in MediaAsset.objects.filter(is_published=True, tiles_public=True).iterator():
            total += 1
            changed += services.rebase(asset)
        # Operator output in English, like the other media commands (resume_media, verify_fixity).
        self.stdout.write(f"{changed} of {total} published image services re-based to {settings.SITE_URL}.")
