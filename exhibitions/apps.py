from django.apps import AppConfig


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = "Exhibitions"

    def ready(self) -> None:
        # Register the exhibition and IIIF surfaces with the archive's registry (DESIGN.md floors).
        from exhibitions import search_hooks, signals, surfaces  # noqa: F401

        signals.connect()
        search_hooks.register()
        # The contributor's receipt lists the exhibitions their story is in (archive.surfaces.locate).
        from archive.surfaces import register_locator

        register_locator(surfaces.exhibition_locator, name="exhibitions")
