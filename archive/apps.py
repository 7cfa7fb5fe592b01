from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        # Signals are registered in one place.
        from archive import generation, signals, surfaces_web  # noqa: F401
        from archive.search import surface  # noqa: F401

        # Every committed write to the record bumps the shared generation (archive/generation.py).
        generation.connect()
