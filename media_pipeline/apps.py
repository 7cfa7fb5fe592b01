import logging

from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = "Media pipeline"

    def ready(self) -> None:
        # libvips reports every thread pool at INFO through GLib; keep warnings only.
        logging.getLogger("pyvips").setLevel(logging.WARNING)
