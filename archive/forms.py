"""Forms of the public site: the contribution steps and the management page. Plain language."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import ConsentVersion, Contributor, Item

# Each public scope with what it means for the contributor, in plain words. The order is the
# order of the form: from the most visible to the least.
SCOPE_CHOICES = [
    ("web", _("Show it on this website"),
     _("Anyone can read your story and see your files on its own page.")),
    ("search", _("Let people find it with this site's search"),
     _("Your story can appear in search results here. Without this, people reach it only through a link or an exhibition.")),
    ("exhibition", _("Curators may place it in online exhibitions"),
     _("Your story may be shown beside others, for example on a remembrance day.")),
    ("iiif", _("Share it with other museums and archives"),
     _("Other archives' viewers can show it from our site (using the IIIF standard), and libraries and archives may copy its description into their catalogues (harvesting, with OAI-PMH). If you withdraw, we tell them to remove it.")),
    ("memorial_wall", _("Show the name on the memorial wall"),
     _("The name, in the form you choose below, appears on remembrance-day pages.")),
    ("research", _("Let checked researchers read it"),
     _("Only researchers we have vetted can see it. It is never public.")),
]
SCOPE_HELP = {code: help_text for code, _label, help_text in SCOPE_CHOICES}

NAME_CHOICES = [
    (ConsentVersion.NameDisplay.ANONYMOUS, _("No name: show it anonymously"),
     _("No name appears anywhere.")),
    (ConsentVersion.NameDisplay.INITIALS, _("Initials only"),
     _("For example, “A. E.” for Alex Example.")),
    (ConsentVersion.NameDisplay.PSEUDONYM, _("Another name I choose"),
     _("A first name or any name you like. Write it below.")),
    (ConsentVersion.NameDisplay.FULL, _("My full name"),
     _("Write it below exactly as you want it shown.")),
]


KIND_HELP = {
    Item.Kind.TESTIMONY: _("What you lived or saw, in your words, written or recorded."),
    Item.Kind.PHOTOGRAPH: _("A photograph and what it means to you."),
    Item.Kind.OBJECT_STORY: _("An object you kept, and its story."),
}
NAME_HELP = {str(c): h for c, _label, h in NAME_CHOICES}


def _check_name(form: forms.Form, data: dict) -> dict:
    needs_name = data.get("name_display") in (ConsentVersion.NameDisplay.FULL, ConsentVersion.NameDisplay.PSEUDONYM,
                                               ConsentVersion.NameDisplay.INITIALS)
    if needs_name and not (data.get("display_name") or "").strip():
        form.add_error("display_name", _("Please write the name to show, or choose “No name”."))
    return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class StoryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you sharing?"), choices=Item.Kind.choices, initial=Item.Kind.OBJECT_STORY,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("A short title"), max_length=200,
                            help_text=_("For example: “My father's watch”."))
    story = forms.CharField(label=_("Your story"), max_length=20000, widget=forms.Textarea,
                            help_text=_("Write as much or as little as you want. You can leave out anything you prefer not to share."))
    language = forms.ChoiceField(label=_("Language you are writing in"), choices=settings.LANGUAGES)
    relationship = forms.ChoiceField(label=_("You are"), choices=Contributor.Relationship.choices,
                                     initial=Contributor.Relationship.SURVIVOR)
    contributor_name = forms.CharField(
        label=_("Your name (optional)"), max_length=200, required=False,
        help_text=_("We keep it private. On the next steps you choose whether and how it is shown."))

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class FilesForm(forms.Form):
    files = MultipleFileField(
        label=_("Add photos, recordings or a transcript (optional)"), required=False,
        help_text=_("Photos (JPEG, PNG, WebP, HEIC), audio or video, or a transcript. We remove hidden location data from photos before anyone sees them."),
    )


class ConsentForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Where may your story appear?"), required=False,
        choices=[(code, label) for code, label, _help in SCOPE_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nothing is ticked until you tick it. Tick only what you are comfortable with; if you tick "
                    "nothing, only our team will read your story. You can change this later, or withdraw everything."),
    )
    name_display = forms.ChoiceField(
        label=_("How should a name be shown?"), choices=[(c, label) for c, label, _h in NAME_CHOICES],
        initial=ConsentVersion.NameDisplay.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    display_name = forms.CharField(label=_("The name to show"), max_length=200, required=False,
                                   help_text=_("For initials, write the full name: only the initials are shown. Leave empty for “No name”."))
    embargo_until = forms.DateField(
        label=_("Keep it private until (optional)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Nothing is shown before this date, even after our team has reviewed it."))
    contact_email = forms.EmailField(
        label=_("Your e-mail (optional)"), required=False,
        help_text=_("Only to send you your private link and tell you about the review. It is stored encrypted and never shown."))

    def clean_embargo_until(self):
        day = self.cleaned_data.get("embargo_until")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Please choose a date in the future, or leave this empty."))
        return day

    def clean(self):
        return _check_name(self, super().clean())


class ReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read my choices above and I want to send my story."),
        error_messages={"required": _("Please tick this box to send your story.")})


def day_to_datetime(day: dt.date | None) -> dt.datetime | None:
    """A chosen date means 'from the start of that day' in the site's time zone."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class NarrowForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Where may your story appear?"), required=False,
        choices=ConsentForm.base_fields["scopes"].choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("What you chose before is ticked. Untick what you no longer want; if nothing is ticked, "
                    "only our team will read your story."),
    )
    name_display = ConsentForm.base_fields["name_display"]
    display_name = ConsentForm.base_fields["display_name"]

    def clean(self):
        return _check_name(self, super().clean())


class PauseForm(forms.Form):
    embargo_until = forms.DateField(
        label=_("Hide it everywhere until"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Your story disappears from every public place now and comes back on this date."))

    clean_embargo_until = ConsentForm.clean_embargo_until
