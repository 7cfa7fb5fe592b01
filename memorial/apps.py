from django.apps import AppConfig


class MemorialConfig(AppConfig):
    name = "memorial"
    verbose_name = "Memories (project wiring)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The page cache's invalidation hooks, registered in one place (memorial/pagecache.py).
        from memorial import pagecache

        pagecache.connect()
        # Pages and fast-path copies this process made of an erased item are dropped with it.
        from archive import surfaces

        surfaces.register_eraser("pagecache", _drop_cached_pages)


def _drop_cached_pages(item) -> str:
    from django.db import transaction

    from memorial import pagecache

    transaction.on_commit(pagecache.clear)
    return "cached pages dropped"
