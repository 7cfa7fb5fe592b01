"""Forms of research access. Messages are translated and say what to do."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicationForm(forms.Form):
    institution = forms.CharField(label=_("Institution"), max_length=200)
    purpose = forms.CharField(label=_("Purpose of your research"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    agreement = forms.BooleanField(
        label=_("I accept the research agreement above"),
        error_messages={"required": _("Accept the research agreement to apply.")},
    )


class DecisionForm(forms.Form):
    expires_on = forms.DateField(label=_("Access until (inclusive)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note (the applicant reads it)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
