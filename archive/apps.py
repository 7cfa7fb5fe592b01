from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        # Signals are registered in one place.
        from archive import signals  # noqa: F401
