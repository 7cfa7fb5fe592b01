"""Planner statistics (memorial/statistics.py): analysed after migrate, and again by the worker's
sweep, hourly. Without them SQLite plans from guesses (a walk of every published item at 100k)."""

import pytest
from django.db import connection

from memorial import statistics, worker
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _stats() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'archive_item'")
        return {row[0] for row in cursor.fetchall()}


def _forget() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("sqlite_stat1 is SQLite's; PostgreSQL's autovacuum analyses by itself")


@pytest.fixture
def items():
    return [ItemFactory() for _ in range(3)]  # SQLite keeps no statistics for an empty table


def test_migrate_leaves_statistics_for_the_new_indexes(items):
    from django.core.management import call_command

    _forget()
    call_command("migrate", verbosity=0)  # nothing to apply; its post_migrate hook analyses
    assert {"item_status_created_order", "item_status_published_order", "item_publication_seq_unique"} <= _stats()


def test_the_sweep_analyses_again_hourly(items, monkeypatch):
    monkeypatch.setattr(statistics, "_last_run", {})
    _forget()
    worker.sweep()
    assert "item_status_created_order" in _stats()
    _forget()
    worker.sweep()  # within the hour: not again
    assert _stats() == set()
    monkeypatch.setattr(statistics, "_last_run", {"default": -statistics.EVERY_SECONDS})
    worker.sweep()
    assert "item_status_created_order" in _stats()
