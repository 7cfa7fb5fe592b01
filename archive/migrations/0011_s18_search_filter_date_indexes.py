# A page of a large result set in date order, with a filter on one kind, decade or year: each of
# these indexes gives that value's rows newest first (archive/search/sampled.py walks it until the
# page is full). Without them the date index is walked from the newest item through every newer row
# of other values: 5.4 s at 1M items for "1990s with a transcript". Per vendor as in 0008: SQLite
# puts NULLs last in a descending index by itself; PostgreSQL needs it said.

from django.db import migrations

INDEXES = {"search_kind_date": "kind", "search_decade_date": "decade", "search_year_date": "year"}


def _forward(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON archive_searchdocument ({column}, date_sort DESC{nulls}, id)")


def _backward(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0010_merge_i18_million_search"),
    ]

    operations = [migrations.RunPython(_forward, _backward)]
