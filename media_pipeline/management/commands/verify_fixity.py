"""manage.py verify_fixity: re-hash every original and master in private storage and report."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from media_pipeline import services
from media_pipeline.models import MediaAsset


class Command(BaseCommand):
    help = "Re-check the sha256 of every kept original and master; report missing or changed files."

    def add_arguments(self, parser):
        parser.add_argument("--asset", action="append", help="Only this asset id (repeatable).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, asset=None, no_progress=False, **options):
        qs = MediaAsset.objects.exclude(status=MediaAsset.Status.ERASED).exclude(original_key="").order_by("created_at")
        if asset:
            qs = qs.filter(pk__in=asset)
        checked, bad = 0, []
        for a in tqdm(qs.iterator(), total=qs.count(), disable=no_progress, unit="asset", file=self.stderr):
            result = services.verify_fixity(a)
            checked += 1
            if not result.ok:
                bad.append(result)
        for result in bad:
            self.stdout.write(self.style.ERROR(
                f"{result.asset.pk} ({result.asset.original_name}): {'; '.join(result.problems)}"))
        self.stdout.write(f"Checked {checked} assets: {checked - len(bad)} intact, {len(bad)} with problems.")
        if bad:
            raise CommandError(f"{len(bad)} assets failed the fixity check.")
