"""The contribution form says, in every language, that the `iiif` scope includes harvesting by
other archives (OAI-PMH), since that scope is what the endpoint follows."""

import html

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from archive.forms import SCOPE_HELP, ConsentForm


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_the_iiif_scope_says_harvesting_is_part_of_it(lang):
    with translation.override(lang):
        help_text = str(SCOPE_HELP["iiif"])
        rendered = render_to_string("includes/choices.html", {"field": ConsentForm()["scopes"], "help": SCOPE_HELP})
    assert "OAI-PMH" in help_text and "IIIF" in help_text
    assert help_text in html.unescape(rendered)
