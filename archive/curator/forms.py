"""Forms of the curator workspace. Validation messages are translated and say what to do."""

from __future__ import annotations

import json
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from archive import consent, vocabularies
from archive.models import SURFACES, ConsentVersion, Event, Subject

SCOPE_LABELS = {
    "web": _("Web page and its media"),
    "search": _("Search"),
    "exhibition": _("Exhibitions"),
    "iiif": _("IIIF (other institutions' viewers)"),
    "memorial_wall": _("Memorial wall (name)"),
    "research": _("Vetted researchers"),
}

TEXT_FIELDS = ("title", "summary", "story")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the contributor on their receipt)"),
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Give the contributor a reason: it appears on their receipt.")},
    )


class DescriptionForm(forms.Form):
    """Multilingual fields side by side (one field per language) and the controlled vocabularies."""

    original_language = forms.ChoiceField(label=_("Original language"), choices=vocabularies.CONTENT_LANGUAGES)
    date_text = forms.CharField(label=_("Date as given"), required=False, max_length=100)
    date_start = forms.DateField(label=_("Earliest date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    date_end = forms.DateField(label=_("Latest date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    date_approximate = forms.BooleanField(label=_("The date is approximate"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=vocabularies.country_choices)
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.order_by("slug"), required=False)
    subjects = forms.ModelMultipleChoiceField(label=_("Subjects"), queryset=Subject.objects.order_by("slug"),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    content_warnings = forms.MultipleChoiceField(label=_("Content warnings"), required=False,
                                                 choices=vocabularies.CONTENT_WARNINGS,
                                                 widget=forms.CheckboxSelectMultiple)
    rights = forms.ChoiceField(label=_("Rights statement"), choices=vocabularies.RIGHTS_STATEMENTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            for lang, label in vocabularies.CONTENT_LANGUAGES:
                widget = forms.TextInput if name == "title" else forms.Textarea(attrs={"rows": 4})
                field = forms.CharField(label=label, required=False, widget=widget,
                                        max_length=500 if name == "title" else 50000)
                field.widget.attrs.update({"lang": lang, "dir": "rtl" if lang in vocabularies.RTL_LANGUAGES
                                           else "ltr"})
                self.fields[f"{name}_{lang}"] = field

    @classmethod
    def initial_for(cls, item) -> dict:
        initial = {
            "original_language": item.original_language, "date_text": item.date_text,
            "date_start": item.date_start, "date_end": item.date_end,
            "date_approximate": item.date_approximate, "place": item.place, "country": item.country,
            "event": item.event_id, "subjects": list(item.subjects.all()),
            "content_warnings": list(item.content_warnings or []), "rights": item.rights,
        }
        for name in TEXT_FIELDS:
            for lang, _label in vocabularies.CONTENT_LANGUAGES:
                initial[f"{name}_{lang}"] = (getattr(item, name) or {}).get(lang, "")
        return initial

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{lang}", "").strip() for lang, _ in vocabularies.CONTENT_LANGUAGES):
            raise ValidationError(_("Give the item a title in at least one language."))
        start, end = data.get("date_start"), data.get("date_end")
        if start and end and end < start:
            self.add_error("date_end", _("The latest date cannot be before the earliest date."))
        return data

    def language_maps(self) -> dict[str, dict[str, str]]:
        maps: dict[str, dict[str, str]] = {}
        for name in TEXT_FIELDS:
            maps[name] = {lang: self.cleaned_data[f"{name}_{lang}"].strip()
                          for lang, _ in vocabularies.CONTENT_LANGUAGES
                          if self.cleaned_data.get(f"{name}_{lang}", "").strip()}
        return maps


# Paper consent forms arrive scanned (PDF) or photographed (JPEG, PNG). Decided from the bytes.
EVIDENCE_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def evidence_extension(upload) -> str:
    """The file type of a paper-consent scan from its first bytes; ValidationError otherwise."""
    if upload.size == 0:
        raise ValidationError(_("The evidence file “%(name)s” is empty.") % {"name": upload.name[:80]})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The evidence file “%(name)s” is larger than 20 MB.") % {"name": upload.name[:80]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, ext in EVIDENCE_SIGNATURES.items():
        if head.startswith(signature):
            return ext
    raise ValidationError(
        _("The evidence file “%(name)s” is not a PDF, JPEG or PNG scan of the signed form.") % {"name": upload.name[:80]}
    )


class PaperConsentForm(forms.Form):
    """Nothing is chosen in advance: every scope, and "no public place", is ticked by the curator
    as the signed form says, so an untouched form is an error rather than a silent choice."""

    scopes = forms.MultipleChoiceField(label=_("Where the signed form allows the item to appear"),
                                       choices=[(s, SCOPE_LABELS[s]) for s in SURFACES], required=False,
                                       widget=forms.CheckboxSelectMultiple)
    no_scope = forms.BooleanField(
        label=_("The signed form allows none of these places (keep it for the archive's team only)"),
        required=False)
    name_display = forms.ChoiceField(
        label=_("How the name is shown"),
        choices=[("", _("Choose what the signed form says")), *ConsentVersion.NameDisplay.choices],
        error_messages={"required": _("Choose how the signed form says the name is shown.")})
    display_name = forms.CharField(label=_("Name or pseudonym to show"), required=False, max_length=200)
    embargo_until = forms.DateTimeField(label=_("Embargo until (optional)"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    expires_at = forms.DateTimeField(label=_("Consent expires (optional)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    given_by_name = forms.CharField(label=_("Signed by (as on the form)"), max_length=200)
    evidence = forms.FileField(label=_("Scan of the signed form (PDF, JPEG or PNG)"),
                               error_messages={"required": _("Attach the scan of the signed form.")})

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        self.evidence_ext = evidence_extension(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("scopes") and not data.get("no_scope"):
            self.add_error("scopes", _("Tick where the signed form allows the item to appear, or tick that it "
                                       "allows none of these places."))
        elif data.get("scopes") and data.get("no_scope"):
            self.add_error("no_scope", _("You ticked places and also “none of these places”; tick only what "
                                         "the signed form says."))
        if data.get("name_display") in ("full", "pseudonym", "initials") and not data.get("display_name", "").strip():
            self.add_error("display_name", _("Give the name or pseudonym the form says to show."))
        if consent.window_problem(data.get("embargo_until"), data.get("expires_at")) == "expiry_before_embargo":
            self.add_error("expires_at", _("The consent cannot expire before the embargo ends."))
        return data


# What the audit log's actions mean, in words (an action not listed here shows as its key).
ACTION_LABELS = {
    "item.approved": _("Approved and published"),
    "item.rejected": _("Rejected"),
    "item.changes_requested": _("Changes requested"),
    "item.assigned": _("Assigned to a moderator"),
    "item.described": _("Description changed"),
    "media.redacted": _("Media redacted"),
    "media.redaction_reversed": _("Redaction reversed"),
    "consent.changed": _("Consent changed"),
    "consent.withdrawn": _("Consent withdrawn"),
    "consent.propagated": _("Consent carried to every surface"),
    "consent.propagation_failed": _("Carrying consent failed"),
    "contribution.submitted": _("Contribution submitted"),
    "contribution.erased": _("Contribution erased"),
    "erasure.requested": _("Erasure carried out on request"),
    "exhibition.created": _("Exhibition created"),
    "exhibition.changed": _("Exhibition changed"),
    "exhibition.entry_added": _("Exhibition entry added"),
    "exhibition.entry_removed": _("Exhibition entry removed"),
    "exhibition.text_added": _("Exhibition text added between entries"),
    "exhibition.text_changed": _("Exhibition text between entries changed"),
    "exhibition.text_removed": _("Exhibition text between entries removed"),
    "preservation.exported": _("Preservation package exported"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


class AuditFilterForm(forms.Form):
    """Filters from choices: the people and actions that are in the log, and a range of days."""

    item = forms.CharField(label=_("Item (id or title)"), required=False, max_length=200)
    person = forms.ChoiceField(label=_("Person"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To (day, included)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Anyone")), *[(p, p) for p in people]]
        self.fields["action"].choices = [("", _("Any action")), *[(a, action_label(a)) for a in actions]]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The last day cannot be before the first day."))
        return data


class QueueFilterForm(forms.Form):
    """The moderation queue's filters; every one is a choice."""

    AGES = (("", _("Any age")), ("1", _("Waiting more than a day")), ("3", _("Waiting more than 3 days")),
            ("7", _("Waiting more than a week")))
    ASSIGNED = (("", _("Assigned to anyone or nobody")), ("me", _("Assigned to me")), ("nobody", _("Assigned to nobody")))
    status = forms.ChoiceField(label=_("Show"), required=False, choices=(
        ("", _("All waiting")), ("submitted", _("New submissions")), ("changes_requested", _("Changes requested"))))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language")), *vocabularies.CONTENT_LANGUAGES])
    age = forms.ChoiceField(label=_("Waiting"), required=False, choices=AGES)
    assigned = forms.ChoiceField(label=_("Assigned"), required=False, choices=ASSIGNED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from archive.models import Item

        self.fields["kind"].choices = [("", _("Any kind")), *Item.Kind.choices]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"status": data.get("status", ""), "kind": data.get("kind", ""), "language": data.get("language", ""),
                "older_than_days": int(data.get("age") or 0), "assigned": data.get("assigned", "")}


class BulkForm(forms.Form):
    """One decision for every selected submission (each made through the single-item service)."""

    ACTIONS = (("approve", _("Approve (publish, or vetted research only)")), ("request-changes", _("Request changes")),
               ("reject", _("Reject")), ("assign", _("Assign to")))
    MAX_ITEMS = 200
    action = forms.ChoiceField(label=_("Do this with the selected submissions"), choices=ACTIONS)
    reason = forms.CharField(label=_("Reason (for changes or rejection; shown on each contributor's receipt)"),
                             required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.ChoiceField(label=_("Moderator"), required=False)

    def __init__(self, *args, moderators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody (release)")),
                                           *[(str(u.pk), u.get_username()) for u in moderators]]

    def clean(self):
        data = super().clean()
        ids = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        try:
            data["items"] = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
        except ValueError:
            raise ValidationError(_("The selection holds something that is not a submission.")) from None
        if not data["items"]:
            raise ValidationError(_("Select at least one submission."))
        if len(data["items"]) > self.MAX_ITEMS:
            raise ValidationError(_("Select at most %(n)d submissions at once.") % {"n": self.MAX_ITEMS})
        if data.get("action") in ("reject", "request-changes") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the contributors a reason: it appears on their receipts."))
        return data


class RedactionForm(forms.Form):
    """One redaction: a region of a photo, a time range of a recording, or words of a transcript."""

    KINDS = (("blur", _("Blur a region")), ("crop", _("Crop to a region")),
             ("mute", _("Mute a time range")), ("cut", _("Cut a time range")),
             ("words", _("Redact words in the transcript")))
    media = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Redaction"), choices=KINDS)
    x = forms.IntegerField(label=_("Left (px)"), required=False, min_value=0)
    y = forms.IntegerField(label=_("Top (px)"), required=False, min_value=0)
    w = forms.IntegerField(label=_("Width (px)"), required=False, min_value=1)
    h = forms.IntegerField(label=_("Height (px)"), required=False, min_value=1)
    start = forms.FloatField(label=_("From (seconds)"), required=False, min_value=0)
    end = forms.FloatField(label=_("To (seconds)"), required=False, min_value=0)
    words = forms.CharField(label=_("Words to redact (one per line)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    # Drawn on the image (static/js/curator-redact.js): [[x, y, w, h], ...] in master pixels.
    # Without JavaScript it stays empty and the four number fields above give one region.
    regions = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)
    note = forms.CharField(label=_("Why (for the audit log)"), max_length=500,
                           error_messages={"required": _("Say why, for the audit log (e.g. a bystander's face).")})
    MAX_REGIONS = 20

    def clean_regions(self):
        raw = (self.cleaned_data.get("regions") or "").strip()
        if not raw:
            return []
        try:
            boxes = json.loads(raw)
            boxes = [[int(v) for v in box] for box in boxes]
        except (ValueError, TypeError):
            raise ValidationError(_("The drawn regions could not be read; draw them again.")) from None
        if len(boxes) > self.MAX_REGIONS or any(len(b) != 4 or min(b) < 0 or min(b[2:]) < 1 for b in boxes):
            raise ValidationError(_("Draw between one and %(n)d regions, each inside the photograph.")
                                  % {"n": self.MAX_REGIONS})
        return boxes

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("blur", "crop") and data.get("regions"):
            if kind == "crop" and len(data["regions"]) > 1:
                raise ValidationError(_("A crop keeps one region: draw only one."))
        elif kind in ("blur", "crop"):
            if any(data.get(k) is None for k in ("x", "y", "w", "h")):
                raise ValidationError(_("Give the region: left, top, width and height in pixels."))
            data["regions"] = [[data["x"], data["y"], data["w"], data["h"]]]
        elif kind in ("mute", "cut"):
            start, end = data.get("start"), data.get("end")
            if start is None or end is None or end <= start:
                raise ValidationError(_("Give a time range whose end comes after its start."))
        elif kind == "words":
            words = [w.strip() for w in (data.get("words") or "").splitlines() if w.strip()]
            if not words:
                raise ValidationError(_("Give at least one word or phrase to redact."))
            data["word_list"] = words
        return data
