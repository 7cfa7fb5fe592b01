"""Helper for test_ingest_workers.py, run as a separate process with its own var/ (SQLite, local storage).

    python -m tests.archive.ingest_worker VAR_DIR manage ARGS...  -> manage.py ARGS
    python -m tests.archive.ingest_worker VAR_DIR hang            -> run_worker that hangs inside the
                                                                     2nd dzsave it runs (to be killed there)
    python -m tests.archive.ingest_worker VAR_DIR state           -> one line per asset: name status steps
"""

import os
import sys
import time


def main() -> None:
    var_dir, action, *rest = sys.argv[1:]
    os.environ["MEMORIES_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "memorial.settings"
    os.environ["LOG_LEVEL"] = "ERROR"
    for name in ("DATABASE_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET", "ELASTICSEARCH_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    from media_pipeline import tiles
    from media_pipeline.models import MediaAsset

    if action == "manage":
        call_command(*rest)
    elif action == "hang":
        real, calls = tiles.make_pyramid, []

        def hangs(src, out_dir):
            calls.append(out_dir)
            real(src, out_dir)
            if len(calls) == 2:
                open(os.path.join(var_dir, "in-dzsave"), "w").close()  # noqa: SIM115
                time.sleep(120)  # killed here, mid-batch, with a lease and a RUNNING task

        tiles.make_pyramid = hangs
        call_command("run_worker", "--queue", "media", "--interval", "0.1", "--sweep-every", "0",
                     "--no-startup-delay", "--no-reload")  # one process: the one killed
    elif action == "state":
        from archive.models import Item, ItemMedia

        print("items", Item.objects.count(), "uses", ItemMedia.objects.count())
        for a in MediaAsset.objects.order_by("original_name"):
            print(a.original_name, a.status, ",".join(sorted(a.steps)))


if __name__ == "__main__":
    main()
