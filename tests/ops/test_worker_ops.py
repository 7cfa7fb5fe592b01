"""Named queues, run_worker --queue, the sweeps as a command, the lockout lifted by a command."""

import pytest
from django.core.management import CommandError, call_command
from django_tasks.base import TaskResultStatus

from archive.search import tasks as search_tasks
from archive.tasks import propagate_consent
from media_pipeline import tasks as media_tasks
from memorial import auth, worker
from memorial.models import WorkerHeartbeat
from memorial.settings import TASK_QUEUES

pytestmark = pytest.mark.django_db


def test_consent_and_search_come_before_media():
    assert propagate_consent.queue_name == media_tasks.retract_asset.queue_name == "consent"
    assert search_tasks.index_item.queue_name == "search"
    assert media_tasks.process_asset.queue_name == "media"
    assert propagate_consent.priority > search_tasks.index_item.priority > media_tasks.process_asset.priority


def test_run_worker_takes_only_the_queues_named(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    search = search_tasks.retry_pending.enqueue("default")
    media = media_tasks.process_asset.enqueue("00000000-0000-0000-0000-000000000000")
    call_command("run_worker", "--queue", "search", "--batch", "--sweep-every", "0", "--interval", "0.01")
    assert DBTaskResult.objects.get(pk=search.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=media.id).status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()  # a worker that stopped is forgotten at once
    call_command("run_worker", "--batch", "--sweep-every", "0", "--interval", "0.01")  # every queue
    assert DBTaskResult.objects.get(pk=media.id).status != TaskResultStatus.READY


def test_run_worker_refuses_an_unknown_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    with pytest.raises(CommandError, match="Unknown queue"):
        call_command("run_worker", "--queue", "mdia", "--batch", "--sweep-every", "0")


def test_run_sweeps_runs_one_sweep(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr("memorial.management.commands.run_sweeps.sweep",
                        lambda: calls.append(1) or {"reports": 0, "media": 2, "time": 1})
    call_command("run_sweeps")
    assert calls == [1] and "media: 2" in capsys.readouterr().out
    monkeypatch.setattr("memorial.management.commands.run_sweeps.sweep",
                        lambda: {"reports": -1, "media": 0, "time": 0})
    with pytest.raises(CommandError, match="reports"):
        call_command("run_sweeps")


def test_run_sweeps_against_the_database():
    # The real sweep, nothing to do: every count 0 and no failure.
    assert worker.sweep() == {"orphans": 0, "reports": 0, "media": 0, "time": 0}
    call_command("run_sweeps")


def test_unlock_lifts_a_lockout(settings, capsys):
    settings.LOGIN_LOCKOUT = {"attempts": 3, "window": 900, "lockout": 900}
    for _ in range(3):
        auth.register_failure("locked-curator")
    assert auth.locked_for("locked-curator") > 0
    call_command("unlock", "locked-curator", "someone-else")
    out = capsys.readouterr().out
    assert auth.locked_for("locked-curator") == 0
    assert "locked-curator: unlocked (was locked" in out and "someone-else: unlocked (was not locked)" in out


def test_a_sweep_requeues_the_task_of_a_worker_killed_on_this_host(settings):
    # A live worker finishes what a dead one started, without waiting for a restart (tests/stack
    # kills a real worker process; here its row is made as such a kill leaves it).
    import subprocess

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    dead = subprocess.Popen(["true"])
    dead.wait()
    result = media_tasks.process_asset.enqueue("00000000-0000-0000-0000-000000000000")
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now(),
                                                     worker_ids=[worker.worker_id(dead.pid)])
    assert worker.sweep()["orphans"] == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert worker.sweep()["orphans"] == 0
