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
