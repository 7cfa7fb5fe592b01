from django.apps import AppConfig


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = "Exhibitions"

    def ready(self) -> None:
        # The exhibition and IIIF surfaces join the archive's registry (DESIGN.md floors).
        from exhibitions import signals, surfaces

        signals.connect()
        surfaces.register()
