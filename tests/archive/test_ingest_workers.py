"""`manage.py ingest --queue` with run_worker (issue 18): a worker killed (SIGKILL) mid-batch, inside
dzsave, and the batch still completes with nothing lost and nothing duplicated."""


from tests import workers
from tests.media_pipeline import makers

N = 5


def helper(var_dir, *args, wait=True):
    return workers.run("tests.archive.ingest_worker", var_dir, *args, wait=wait)


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(N):
        (batch / f"photo-{i}.jpg").write_bytes(makers.jpeg(640 + 8 * i, 480, gps=True))
    var = tmp_path / "var"
    helper(var, "manage", "migrate", "--verbosity", "0")
    assert f"Accepted {N} (processing queued for run_worker)" in helper(var, "manage", "ingest", batch, "--queue",
                                                                        "--no-progress")
    state = helper(var, "state").splitlines()
    assert state[0] == f"items {N} uses {N}" and all(" quarantined " in line + " " for line in state[1:])

    worker = helper(var, "hang", wait=False)
    workers.kill_inside_dzsave(worker, var)
    state = helper(var, "state").splitlines()[1:]
    assert sum(" ready " in line for line in state) == 1 and sum(" processing " in line for line in state) == 1

    # Another worker: it queues the dead worker's task again at start, takes over its lease, and
    # drains the queue.
    helper(var, "manage", "run_worker", "--queue", "media", "--batch", "--no-startup-delay", "--sweep-every", "0")
    state = helper(var, "state").splitlines()
    assert state[0] == f"items {N} uses {N}"
    assert state[1:] == [f"photo-{i}.jpg ready derivatives,master" for i in range(N)]
    private = var / "private"
    assert len(list(private.glob("assets/*/iiif/info.json"))) == N
    assert not [p for p in private.rglob("*") if ".build" in p.parts or p.suffix == ".part"]
    # Ingesting the batch again adds nothing.
    again = helper(var, "manage", "ingest", batch, "--queue", "--no-progress")
    assert f"Accepted 0 (processing queued for run_worker), skipped {N}" in again
    assert helper(var, "state").splitlines()[0] == f"items {N} uses {N}"
