"""An incremental harvest (`from=`) reads what changed since through indexes, one per part of the
datestamp, then the items by primary key: not every record's datestamp (SQLite's plan, as the
archive runs; the plan does not depend on how many rows the test made)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from exhibitions.oai import records
from memorial import statistics
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db

SOURCES = ("item_updated_at", "consent_version_created_at", "mediaasset_updated_at", "mediaasset_published_at",
           "membership_change_at", "exhibitions_exhibitionentry_exhibition_id")


def test_an_incremental_harvest_reads_the_changes_through_indexes():
    exhibitions = [ExhibitionFactory() for _ in range(2)]
    for n in range(20):  # many entries to an exhibition, as curators make them
        ExhibitionEntryFactory(exhibition=exhibitions[n % 2], item=ItemFactory())
    statistics.refresh()  # as the sweep keeps them: the plan is chosen with statistics
    at = timezone.now()
    for set_spec in (None, "exhibition"):
        query = records.select(at, set_spec=set_spec, start=at - timedelta(hours=1))
        assert query.count() == 20
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query[:101].query.sql_with_params()[0],
                           query[:101].query.sql_with_params()[1])
            steps = " | ".join(row[-1] for row in cursor.fetchall())
        assert all(f"USING INDEX {source}" in steps for source in SOURCES), steps
        assert "SEARCH archive_item USING INDEX sqlite_autoindex_archive_item_1 (id=?)" in steps, steps
        assert "SCAN archive_item" not in steps, steps
