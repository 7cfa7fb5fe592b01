"""Forms of the exhibition builder (curator workspace)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive import vocabularies
from archive.models import Item
from exhibitions.models import Exhibition, RemembranceDay
from exhibitions.services.builder import BuilderError
from exhibitions.services.narrative import MAX_TEXT

LANGS = vocabularies.CONTENT_LANGUAGES


def _lang_attrs(lang: str) -> dict:
    return {"lang": lang, "dir": "rtl" if lang in vocabularies.RTL_LANGUAGES else "ltr"}


class NewExhibitionForm(forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=300)
    slug = forms.SlugField(label=_("Web address (letters, digits, hyphens)"), max_length=50)


class ExhibitionSettingsForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Exhibition.Status.choices)
    publish_at = forms.DateTimeField(label=_("Opens at (empty: as soon as it is published)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    unpublish_at = forms.DateTimeField(label=_("Closes at (optional)"), required=False,
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    featured = forms.BooleanField(label=_("Featured on the home page"), required=False)
    remembrance_day = forms.ModelChoiceField(label=_("Remembrance day"), queryset=RemembranceDay.objects.all(),
                                             required=False)

    TEXTS = ("title", "summary", "introduction")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Times are typed and shown in the archive's time zone (TIME_ZONE), said beside the fields.
        zone = gettext("In the archive's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}
        self.fields["publish_at"].help_text = self.fields["unpublish_at"].help_text = zone
        for name in self.TEXTS:
            for lang, label in LANGS:
                # The introduction is the exhibition's opening text: room to write it, every
                # language beside the others (two or three columns, not six small boxes).
                rows = 14 if name == "introduction" else 3
                widget = forms.TextInput(attrs=_lang_attrs(lang)) if name == "title" else \
                    forms.Textarea(attrs={"rows": rows, **_lang_attrs(lang)})
                self.fields[f"{name}_{lang}"] = forms.CharField(label=label, required=False, widget=widget,
                                                                max_length=300 if name == "title" else 20000)

    @classmethod
    def initial_for(cls, exhibition: Exhibition) -> dict:
        initial = {"status": exhibition.status, "publish_at": exhibition.publish_at,
                   "unpublish_at": exhibition.unpublish_at, "featured": exhibition.featured,
                   "remembrance_day": exhibition.remembrance_day_id}
        for name in cls.TEXTS:
            for lang, _l in LANGS:
                initial[f"{name}_{lang}"] = (getattr(exhibition, name) or {}).get(lang, "")
        return initial

    def clean(self):
        data = super().clean()
        if not any((data.get(f"title_{lang}") or "").strip() for lang, _l in LANGS):
            raise forms.ValidationError(_("Give the exhibition a title in at least one language."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        out = {k: data[k] for k in ("status", "publish_at", "unpublish_at", "featured", "remembrance_day")}
        for name in self.TEXTS:
            out[name] = {lang: data[f"{name}_{lang}"].strip() for lang, _l in LANGS
                         if (data.get(f"{name}_{lang}") or "").strip()}
        return out


class CaptionForm(forms.Form):
    def __init__(self, *args, prefix_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        for lang, label in LANGS:
            self.fields[lang] = forms.CharField(label=label, required=False, max_length=2000,
                                                widget=forms.Textarea(attrs={"rows": 2, **_lang_attrs(lang)}))
        self.auto_id = f"caption-{prefix_id}-%s"


def caption_status(entry) -> list[tuple[str, object, str]]:
    """(code, language name, 'original' | 'translated' | 'missing') for each of the six languages:
    the caption's translation status, shown beside its fields. The item's own language counts as
    the original."""
    return [(lang, label, vocabularies.translation_status(entry.caption or {}, lang, entry.item.original_language))
            for lang, label in LANGS]


class PickerForm(forms.Form):
    """The picker's filters (GET): words, kind and the item's own language."""

    q = forms.CharField(label=_("Words in the title, place or date"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Item.Kind.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language")), *LANGS])


def _add_texts(form: forms.Form) -> None:
    """A narrative text field per language, side by side (sections and text blocks alike)."""
    for lang, label in LANGS:
        form.fields[f"text_{lang}"] = forms.CharField(
            label=label, required=False, max_length=MAX_TEXT,
            error_messages={"max_length": gettext("The text is too long (%(n)s characters at most per language).")
                            % {"n": f"{MAX_TEXT:,}"}},
            widget=forms.Textarea(attrs={"rows": 4, **_lang_attrs(lang)}))


class SectionForm(forms.Form):
    """A section: a heading and narrative text, each in the six languages side by side."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lang, label in LANGS:
            self.fields[f"title_{lang}"] = forms.CharField(label=label, required=False, max_length=300,
                                                           widget=forms.TextInput(attrs=_lang_attrs(lang)))
        _add_texts(self)

    @classmethod
    def for_section(cls, section):
        initial = {f"title_{lang}": (section.title or {}).get(lang, "") for lang, _l in LANGS}
        initial.update({f"text_{lang}": (section.text or {}).get(lang, "") for lang, _l in LANGS})
        return cls(initial=initial, prefix=f"section-{section.pk}")

    def titles(self):
        return [self[f"title_{lang}"] for lang, _l in LANGS]

    def texts(self):
        return [self[f"text_{lang}"] for lang, _l in LANGS]

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: {lang: data[f"{name}_{lang}"].strip() for lang, _l in LANGS
                       if (data.get(f"{name}_{lang}") or "").strip()} for name in ("title", "text")}


class TextBlockForm(forms.Form):
    """Narrative text between two entries: the six languages side by side."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_texts(self)

    @classmethod
    def for_block(cls, section):
        return cls(initial={f"text_{lang}": (section.text or {}).get(lang, "") for lang, _l in LANGS},
                   prefix=f"text-{section.pk}")

    def values(self) -> dict:
        """The text in each language; a form that is not valid says why (translated)."""
        if not self.is_valid():
            raise BuilderError(next(iter(self.errors.values()))[0])
        return {lang: self.cleaned_data.get(f"text_{lang}") or "" for lang, _l in LANGS}

    def fields_with_status(self, text: dict | None = None):
        """Each language's field with 'written' or 'missing' (a text block has no original language)."""
        return [(self[f"text_{lang}"], lang, "written" if (text or {}).get(lang, "").strip() else "missing")
                for lang, _l in LANGS]
