"""The catalogues: every message translated in the five languages, placeholders intact, and the
pages really served in each language (and right-to-left in Arabic)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "locale"))
import po_tools  # noqa: E402

LANGS = ("ar", "zh_Hans", "fr", "ru", "es")


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang):
    path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    untranslated = []
    for entry in po_tools.parse(path):
        msgid = po_tools.text_of(entry, "msgid")
        if not msgid:
            continue
        assert not any(c.startswith("#, fuzzy") for c in entry["comments"]), msgid
        forms = [po_tools.text_of(entry, f) for f in entry["fields"] if f.startswith("msgstr")]
        if not forms or not all(forms):
            untranslated.append(msgid)
    assert not untranslated, f"{len(untranslated)} untranslated in {lang}: {untranslated[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext) is needed; .ci/run installs it"
    path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run([msgfmt, "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def compiled():
    # `make` compiles the catalogues before the tests; this only catches up a stale checkout
    # (compilemessages skips a .mo that is newer than its .po, so under make it writes nothing).
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "compilemessages", "--ignore=.venv",
                    "--ignore=node_modules", "-v0"], check=True, cwd=ROOT)
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()


@pytest.mark.django_db
@pytest.mark.xdist_group("locale")
@pytest.mark.parametrize("lang,expected", [
    ("ar", "شارك ذكرى"), ("zh-hans", "分享一段记忆"), ("fr", "Partager un souvenir"),
    ("ru", "Поделиться воспоминанием"), ("es", "Compartir un recuerdo"), ("en", "Share a memory"),
])
def test_pages_are_served_in_the_visitors_language(client, compiled, lang, expected):
    with translation.override(lang):
        html = client.get(reverse("contribute")).content.decode()
    assert expected in html
