"""The backend suite against the database backend: SQLite FTS5 in the main run, PostgreSQL
full-text search in the `-m postgres` run (the same tests, on whichever database is configured)."""

import pytest
from django.db import connection

from archive.search.database import DatabaseSearchBackend
from tests.search.backend_suite import BackendSuite

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


class TestDatabaseBackend(BackendSuite):
    @pytest.fixture
    def backend(self):
        backend = DatabaseSearchBackend("test", {})
        backend.clear()
        return backend

    def test_uses_the_vendor_full_text_index(self, backend, items):
        assert backend.label == ("database/PostgreSQL" if connection.vendor == "postgresql" else "database/SQLite FTS5")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'archive_searchdocument_vector'")
                assert "gin" in cursor.fetchone()[0].lower()
            else:
                cursor.execute("SELECT count(*) FROM archive_searchdocument_fts WHERE archive_searchdocument_fts MATCH 'scarf'")
                assert cursor.fetchone()[0] == 1

    def test_purge_leaves_no_term_in_the_full_text_index(self, backend):
        """A plain delete leaves FTS5's terms in older segments until a merge; purge merges now.
        On PostgreSQL the row and its tsvector go together (the VACUUM is archive/erasure.py's)."""
        from tests.factories import ItemFactory
        from tests.search.helpers import documents

        word = "qvzerasedword"
        kept, erased = ItemFactory(title={"en": "A kept lantern"}), ItemFactory(title={"en": f"The {word} lantern"})
        backend.index(documents([kept]))
        backend.index(documents([erased]))  # a second segment, as the index grows item by item
        backend.purge([str(erased.pk)])
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT count(*) FROM archive_searchdocument d WHERE d::text LIKE %s", [f"%{word}%"])
                assert cursor.fetchone()[0] == 0
            else:
                cursor.execute("SELECT block FROM archive_searchdocument_fts_data")
                assert not any(word.encode() in bytes(row[0] or b"") for row in cursor.fetchall())
        assert backend.count() == 1
