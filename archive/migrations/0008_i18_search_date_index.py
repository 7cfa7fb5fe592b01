# The search rows in the order of a page sorted newest first (archive/search/sampled.py walks it
# for a large result set until the page is full). Per vendor: SQLite puts NULLs last in a
# descending index by itself and has no NULLS LAST in CREATE INDEX; PostgreSQL needs it said.

from django.db import migrations


def _run(statements):
    def run(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0007_merge_i18_scale"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": "CREATE INDEX search_date_desc ON archive_searchdocument (date_sort DESC, id)",
                  "postgresql": "CREATE INDEX search_date_desc ON archive_searchdocument (date_sort DESC NULLS LAST, id)"}),
            _run({"sqlite": "DROP INDEX search_date_desc", "postgresql": "DROP INDEX search_date_desc"}),
        ),
    ]
