"""manage.py resume_media: queue again what a killed worker left half-processed (run at worker start)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from media_pipeline import tasks


class Command(BaseCommand):
    help = "Re-queue media processing left unfinished by a stopped worker, and retries that are due."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=10.0,
                            help="Minutes without progress before an asset counts as abandoned (default 10).")

    def handle(self, *args, older_than: float = 10.0, **options):
        n = tasks.resume_stuck(timedelta(minutes=older_than))
        self.stdout.write(f"Queued {n} media assets for processing.")
