"""The record: items, their media, contributors, events, consent versions, audit log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.fields import EncryptedTextField

# The surfaces from DESIGN.md. A scope granted in consent opens exactly one surface.
SURFACES = ("web", "search", "exhibition", "iiif", "memorial_wall", "research")


class Event(models.Model):
    """An attack or incident that items relate to. Names are language maps: {"en": "...", "ar": "..."}."""

    slug = models.SlugField(unique=True)
    name = models.JSONField(default=dict)
    date = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))

    def __str__(self) -> str:
        return self.name.get("en") or self.slug


class Subject(models.Model):
    slug = models.SlugField(unique=True)
    label = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.label.get("en") or self.slug


class Contributor(models.Model):
    class Relationship(models.TextChoices):
        SURVIVOR = "survivor", _("Survivor")
        FAMILY = "family", _("Family member")
        WITNESS = "witness", _("Witness")
        FIRST_RESPONDER = "first_responder", _("First responder")
        OTHER = "other", _("Other")

    # The name as the contributor gave it; shown only through the consent's name display.
    name = EncryptedTextField(blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices, default=Relationship.SURVIVOR)
    contact_email = EncryptedTextField(blank=True)
    preferred_language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Contributor {self.pk}"


class Contribution(models.Model):
    """One submission through the contributor journey; holds the private management token's hash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contributor = models.ForeignKey(Contributor, null=True, blank=True, on_delete=models.SET_NULL)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by archive.contributions.erase: the row stays as a minimal tombstone (no personal data).
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Contribution {self.pk}"  # never the token or a name


class Item(models.Model):
    class Kind(models.TextChoices):
        TESTIMONY = "testimony", _("Testimony")
        PHOTOGRAPH = "photograph", _("Photograph")
        OBJECT_STORY = "object_story", _("Object story")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ERASED = "erased", _("Erased")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    # Language maps, as IIIF uses them: {"en": "...", "ar": "..."}.
    title = models.JSONField(default=dict)
    summary = models.JSONField(default=dict, blank=True)
    story = models.JSONField(default=dict, blank=True)
    original_language = models.CharField(max_length=10, default="en")
    date_text = models.CharField(max_length=100, blank=True, help_text=_("As given, e.g. 'around 2004'"))
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    date_approximate = models.BooleanField(default=False)
    place = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="items")
    content_warnings = models.JSONField(default=list, blank=True)  # e.g. ["violence", "injury"]
    rights = models.URLField(default="http://rightsstatements.org/vocab/InC/1.0/")
    contributor = models.ForeignKey(Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # Denormalised pointer to the newest consent version, kept by archive.services; the policy
    # filters on it so that list pages cost one query.
    current_consent = models.ForeignKey(
        "ConsentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_note = models.TextField(blank=True)
    # The moderator who took this submission in hand (the queue's "assigned to me" filter).
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Numbered once, at first publication, from a counter (PublicationCounter), and never changed:
    # the sitemaps and IIIF item pages are fixed ranges of it, so any page is one range read of
    # this index and the number of pages is the counter's value, at any size of the archive.
    publication_seq = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The public lists (feeds, wall, home) walk published items in publication order:
            # status first, so that the policy's status filter is the index's prefix.
            models.Index(fields=["status", "published_at", "id"], name="item_status_published_order"),
            # The curator's queue: waiting items oldest first, read in index order (no sort).
            models.Index(fields=["status", "created_at", "id"], name="item_status_created_order"),
            # ... and both waiting statuses at once (archive/curator/selectors.py QUEUE_CONDITION).
            models.Index(fields=["created_at", "id"], condition=models.Q(status__in=["submitted", "changes_requested"]),
                         name="item_queue_order"),
            # "What changed since": OAI-PMH's incremental harvests (exhibitions/oai/records.py).
            models.Index(fields=["updated_at"], name="item_updated_at"),
        ]
        # Partial, so that adding it to a kept archive builds an index rather than copying the
        # table (SQLite); a range on the number implies NOT NULL, so the pages read it.
        constraints = [models.UniqueConstraint(fields=["publication_seq"], condition=models.Q(publication_seq__isnull=False),
                                               name="item_publication_seq_unique")]
        # Checked by the API and the curator workspace (the groups are in archive/curator/roles.py).
        permissions = [
            ("moderate_item", "Can review submissions (request changes, reject)"),
            ("publish_item", "Can publish items (approve submissions)"),
            ("redact_media", "Can redact media before publication"),
            ("reverse_redaction", "Can reverse redactions"),
            ("record_paper_consent", "Can record consent given on a paper form"),
            ("request_erasure", "Can carry out erasure requests"),
            ("verify_fixity", "Can check the fixity of masters"),
            ("export_bags", "Can export preservation packages (BagIt)"),
        ]

    def __str__(self) -> str:
        return self.title.get("en") or next(iter(self.title.values()), str(self.id))

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.publication_seq is None:
            self.publication_seq = PublicationCounter.take()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "publication_seq"}
        super().save(*args, **kwargs)


class ItemMedia(models.Model):
    """An item's use of a media asset, in order, with its alt text."""

    class Role(models.TextChoices):
        PHOTO = "photo", _("Photograph")
        RECORDING = "recording", _("Recording")
        TRANSCRIPT = "transcript", _("Transcript")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="media")
    asset = models.ForeignKey("media_pipeline.MediaAsset", on_delete=models.PROTECT, related_name="uses")
    role = models.CharField(max_length=16, choices=Role.choices)
    position = models.PositiveIntegerField(default=0)
    alt_text = models.JSONField(default=dict, blank=True)
    caption = models.JSONField(default=dict, blank=True)
    # For a transcript: the recording it transcribes.
    transcribes = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.role} {self.position} of item {self.item_id}"


class ConsentVersion(models.Model):
    """One version of an item's consent. Append-only: never updated, the newest one counts."""

    class NameDisplay(models.TextChoices):
        FULL = "full", _("Full name")
        INITIALS = "initials", _("Initials")
        PSEUDONYM = "pseudonym", _("Pseudonym")
        ANONYMOUS = "anonymous", _("Anonymous")

    class GivenBy(models.TextChoices):
        SELF = "self", _("The person themself")
        GUARDIAN = "guardian", _("A guardian, for a minor")
        FAMILY = "family", _("Family, for a deceased victim")
        CURATOR_PAPER = "curator_paper", _("A curator recording a signed paper form")

    class Method(models.TextChoices):
        WEB_FORM = "web_form", _("Web form")
        API = "api", _("API")
        PAPER = "paper", _("Signed paper form")
        DEMO = "demo", _("Demo content")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="consent_versions")
    number = models.PositiveIntegerField()
    # One boolean a surface: indexable, and filterable on SQLite and PostgreSQL alike.
    scope_web = models.BooleanField(default=False)
    scope_search = models.BooleanField(default=False)
    scope_exhibition = models.BooleanField(default=False)
    scope_iiif = models.BooleanField(default=False)
    scope_memorial_wall = models.BooleanField(default=False)
    scope_research = models.BooleanField(default=False)
    name_display = models.CharField(max_length=12, choices=NameDisplay.choices, default=NameDisplay.ANONYMOUS)
    display_name = models.CharField(max_length=200, blank=True, help_text=_("Full name or pseudonym to show"))
    # Indexed: the caches ask for the next boundary over every version on each request.
    embargo_until = models.DateTimeField(null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # ItemMedia ids that must not be shown even where the item may be.
    excluded_media = models.JSONField(default=list, blank=True)
    withdrawn = models.BooleanField(default=False)
    given_by = models.CharField(max_length=16, choices=GivenBy.choices, default=GivenBy.SELF)
    given_by_name = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.WEB_FORM)
    evidence = models.FileField(upload_to="consent-evidence/", blank=True)  # default storage is private
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="consent_version_unique_number")]
        indexes = [models.Index(fields=["created_at"], name="consent_version_created_at")]

    def __str__(self) -> str:
        return f"Consent v{self.number} of item {self.item_id}"

    @property
    def scopes(self) -> list[str]:
        return [s for s in SURFACES if getattr(self, f"scope_{s}")]


class RemovalReport(models.Model):
    """What a consent change cleared, surface by surface; shown on the contributor's receipt."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="removal_reports")
    consent_version = models.ForeignKey(ConsentVersion, on_delete=models.CASCADE, related_name="removal_reports")
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # [{"surface": "search", "cleared_at": iso, "detail": "..."}]; a failed surface holds
    # {"surface", "error", "failed_at", "attempt"} until a retry clears it.
    surfaces = models.JSONField(default=list)
    # Why propagation ran: a consent change, a publication, a rejection, an erasure.
    trigger = models.CharField(max_length=20, default="consent")
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Removal report {self.pk} for item {self.item_id}"


class AuditEvent(models.Model):
    """Append-only log of every consent change and curatorial action."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=100, blank=True, help_text=_("'contributor', 'system', ..."))
    action = models.CharField(max_length=64, db_index=True)
    item_id_ref = models.UUIDField(null=True, blank=True, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The log's pages are keyset ranges in this order (archive/keyset.py).
        indexes = [
            models.Index(fields=["at", "id"], name="auditevent_at_order"),
            # The filter's list of people: accounts, and labels of events without one, read by a
            # loose index scan (archive/curator/selectors.py audit_people), never by reading the log.
            models.Index(fields=["actor", "actor_label"], name="auditevent_actor_label"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


# The database search backend's tables (archive/search/models.py).
from archive.search.models import SearchDocument, SearchPendingUpdate  # noqa: E402,F401


class Generation(models.Model):
    """One row: a token that changes after every committed write to the record (archive/generation.py).

    Every process (web workers, the task worker) reads it, and bumps it through the database, so a
    change made anywhere makes every cached copy of public content stale at once.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "archive_generation"
        verbose_name = "public content generation"

    def __str__(self) -> str:
        return f"generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class PublicationCounter(models.Model):
    """One row: the last publication number given (Item.publication_seq). The UPDATE locks the row
    until the transaction ends, so two publications at once never take the same number; a number
    taken in a transaction that rolls back is skipped (a page then holds one item fewer)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "archive_publication_counter"

    def __str__(self) -> str:
        return f"last publication number {self.value}"

    @classmethod
    def take(cls) -> int:
        from django.db import transaction
        from django.db.models import F

        with transaction.atomic():
            if not cls.objects.filter(pk=1).update(value=F("value") + 1):
                # The row is made by the migration; a database flushed since continues after the
                # highest number still held, never reusing one.
                highest = Item.objects.aggregate(m=models.Max("publication_seq"))["m"] or 0
                cls.objects.get_or_create(pk=1, defaults={"value": highest})
                cls.objects.filter(pk=1).update(value=F("value") + 1)
            return cls.objects.values_list("value", flat=True).get(pk=1)

    @classmethod
    def last(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0


# Vetted research access (archive/research/models.py).
from archive.research.models import ResearchAccess, ResearchToken  # noqa: E402,F401
