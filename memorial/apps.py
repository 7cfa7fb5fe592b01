from django.apps import AppConfig


class MemorialConfig(AppConfig):
    name = "memorial"
    verbose_name = "Memories (project wiring)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The page cache's hooks and its surface, registered in one place (memorial/pagecache.py).
        from memorial import pagecache

        pagecache.connect()
        # IIIF documents on disk for nginx are renewed with every bump (memorial/document_files.py).
        from memorial import document_files

        document_files.connect()
        # New indexes get planner statistics at once (memorial/statistics.py).
        from django.db.models.signals import post_migrate

        from memorial import statistics

        post_migrate.connect(statistics.after_migrate, dispatch_uid="memorial-statistics")
