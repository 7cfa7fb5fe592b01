"""Helper for test_kill.py, run as a separate process with its own var/ (SQLite file, local storage).

    python -m tests.media_pipeline.kill_worker VAR_DIR intake FILE    -> prints the asset id
    python -m tests.media_pipeline.kill_worker VAR_DIR hang ASSET_ID  -> processes, hangs inside dzsave
    python -m tests.media_pipeline.kill_worker VAR_DIR resume         -> resume_media with a real queue
    python -m tests.media_pipeline.kill_worker VAR_DIR status ASSET_ID
"""

import os
import sys
import time


def main() -> None:
    var_dir, action, *rest = sys.argv[1:]
    os.environ["MEMORIES_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "memorial.settings"
    os.environ["LOG_LEVEL"] = "ERROR"
    for name in ("DATABASE_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET", "ELASTICSEARCH_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    from media_pipeline import services, tiles
    from media_pipeline.models import MediaAsset

    if action == "intake":
        call_command("migrate", verbosity=0)
        with open(rest[0], "rb") as fh:
            print(services.intake(fh, "photo.jpg").pk)
    elif action == "hang":
        real = tiles.make_pyramid

        def hangs(src, out_dir):
            real(src, out_dir)
            open(os.path.join(var_dir, "in-dzsave"), "w").close()  # noqa: SIM115
            time.sleep(120)  # killed here, tiles half-way to their place

        tiles.make_pyramid = hangs
        services.process(MediaAsset.objects.get(pk=rest[0]))
    elif action == "resume":
        # memorial.settings: the database task queue, as in production; one worker run drains it.
        call_command("resume_media", "--older-than", "0")
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    elif action == "status":
        a = MediaAsset.objects.get(pk=rest[0])
        print(a.status, ",".join(sorted(a.steps)))


if __name__ == "__main__":
    main()
