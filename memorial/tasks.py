"""The periodic sweeps as a task too, for a scheduler that enqueues tasks (memorial.worker.sweep)."""

from django_tasks import task

from memorial.worker import sweep


@task()
def run_sweeps() -> dict[str, int]:
    return sweep()
