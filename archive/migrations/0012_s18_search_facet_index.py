# SQLite: every column that matching, filtering and counting read, in one index by id
# (archive.search.database.ROWS reads the rows through it). A row of the table carries its texts and
# display document (a 4 KB page or more: 4.8 GB at 1M items); this index holds about 100 bytes a row,
# so counting a sample of 2,000 rows or filtering a word's matches reads a few hundred pages, not
# thousands. PostgreSQL keeps long values out of line (TOAST): its rows are narrow already.

from django.db import migrations

COLUMNS = ("id, kind, event, country, year, decade, has_transcript, content_warning, date_sort, embargo_ts, "
           "expires_ts, languages, exhibitions, item_id")


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS search_facets ON archive_searchdocument ({COLUMNS})")


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS search_facets")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0011_s18_search_filter_date_indexes"),
    ]

    operations = [migrations.RunPython(_forward, _backward)]
