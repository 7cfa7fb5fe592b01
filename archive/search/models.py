"""Tables of the database search backend (imported from archive.models, so app_label is archive).

`SearchDocument` holds one row per indexed item: the facet columns, the time fields the query
filters on (embargo, expiry) and the document itself for display. The full-text index lives
beside it and is created by migration for each database vendor:
- SQLite: an FTS5 table `archive_searchdocument_fts` with the row table as external content,
  kept in sync by triggers;
- PostgreSQL: a generated `search_vector` tsvector column with a GIN index.
Both index the text already normalised by archive.search.normalise.
"""

from django.db import models


class SearchDocument(models.Model):
    item_id = models.CharField(max_length=36, unique=True)
    kind = models.CharField(max_length=20, db_index=True)
    event = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    year = models.IntegerField(null=True, blank=True)
    decade = models.IntegerField(null=True, blank=True)
    languages = models.JSONField(default=list)
    exhibitions = models.JSONField(default=list)
    has_transcript = models.BooleanField(default=False)
    content_warning = models.BooleanField(default=False)
    date_sort = models.IntegerField(null=True, blank=True)  # proleptic ordinal of the item's date
    # Unix seconds; filtered at query time so that a time passing needs no reindex.
    embargo_ts = models.BigIntegerField(null=True, blank=True)
    expires_ts = models.BigIntegerField(null=True, blank=True)
    title_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    transcript_text = models.TextField(blank=True)
    document = models.JSONField(default=dict)

    class Meta:
        app_label = "archive"

    def __str__(self) -> str:
        return f"search document {self.item_id}"


class SearchPendingUpdate(models.Model):
    """An index update that failed because a backend was down; retried when it answers again."""

    class Action(models.TextChoices):
        INDEX = "index"
        DELETE = "delete"

    backend = models.CharField(max_length=50)
    item_id = models.CharField(max_length=36)
    action = models.CharField(max_length=8, choices=Action.choices)
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "archive"
        constraints = [models.UniqueConstraint(fields=["backend", "item_id"], name="search_pending_unique")]

    def __str__(self) -> str:
        return f"{self.action} {self.item_id} on {self.backend}"
