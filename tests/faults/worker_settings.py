"""Settings for the worker-kill fault test: the real settings with smaller tiles (more of them, so
tiling lasts long enough to be interrupted) and the database task queue."""

from memorial.settings import *  # noqa: F403

MEDIA_PIPELINE = {"TILE_SIZE": 128}
