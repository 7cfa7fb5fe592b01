"""manage.py print_catalogue SLUG [--lang ar] [--output FILE]: the exhibition's printed catalogue
as PDF, with what consent allows in an exhibition now (exhibitions/kit/catalogue.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exhibitions.kit import catalogue
from exhibitions.models import Exhibition


class Command(BaseCommand):
    help = "Print an exhibition's catalogue (PDF) as consent allows it now."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--lang", default="en", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--output", help="file to write (default: var/catalogues/catalogue-SLUG-LANG-DATE.pdf)")

    def handle(self, slug, lang, output=None, **options):
        try:
            exhibition = Exhibition.objects.select_related("remembrance_day").get(slug=slug)
        except Exhibition.DoesNotExist:
            raise CommandError(f"No exhibition {slug!r}; see the curator workspace for the slugs.") from None
        now = timezone.now()
        path = Path(output) if output else Path(settings.VAR_DIR) / "catalogues" / catalogue.filename(exhibition, lang, now)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(catalogue.render(exhibition, lang, now))
        self.stdout.write(str(path))
