"""The catalogues, the one source of translations (docs/translating.md): every message of the code
and templates is in them, translated and not fuzzy in the five languages, placeholders intact;
fuzzy entries are never shipped; and the pages are really served in each language (and
right-to-left in Arabic)."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGS = ("ar", "zh_Hans", "fr", "ru", "es")
TO_DO = "run `make catalogues`, translate what is new or fuzzy, then `make messages` (docs/translating.md)"


def catalogue(lang: str, root: Path = LOCALE) -> Path:
    return root / lang / "LC_MESSAGES" / "django.po"


def problems(path: Path) -> list[str]:
    """What keeps a catalogue from being shipped whole: fuzzy or untranslated entries, a fuzzy
    header, plural entries without as many forms as the header's Plural-Forms counts."""
    po = polib.pofile(str(path))
    found = []
    if po.metadata_is_fuzzy:
        found.append("the header is fuzzy (compilemessages would ignore its Plural-Forms)")
    nplurals = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    if not nplurals:
        found.append("the header has no Plural-Forms")
    for entry in (e for e in po if not e.obsolete):
        if entry.fuzzy:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"untranslated: {entry.msgid!r}")
        elif entry.msgid_plural and nplurals and len(entry.msgstr_plural) != int(nplurals.group(1)):
            found.append(f"{len(entry.msgstr_plural)} plural forms, not {nplurals.group(1)}: {entry.msgid!r}")
    return found


def msgids(path: Path) -> set[tuple]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path)) if not e.obsolete}


def out_of_date(in_code: set[tuple], path: Path) -> tuple[set[tuple], set[tuple]]:
    """(messages the code asks for that the catalogue lacks, entries no code asks for any more)."""
    held = msgids(path)
    return in_code - held, held - in_code


@pytest.fixture(scope="module")
def messages_in_code(tmp_path_factory) -> set[tuple]:
    # `make catalogues` itself, written into a scratch folder: what the code and templates ask for.
    scratch = tmp_path_factory.mktemp("catalogues")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogues.py"), "--into", str(scratch), "-l", "fr",
                    "-v", "0"], check=True, cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "memorial.settings"})
    return msgids(catalogue("fr", scratch))


def test_the_same_languages_everywhere():
    sys.path.insert(0, str(ROOT / "scripts"))
    import catalogues

    on_disk = {p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/django.po")}
    in_settings = {translation.to_locale(code) for code, _ in django_settings.LANGUAGES} - {"en"}
    assert on_disk == set(LANGS) == set(catalogues.LANGS) == in_settings


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang):
    found = problems(catalogue(lang))
    assert not found, f"{len(found)} in {lang}: {found[:5]}; translate them and `make messages`"


def test_every_message_in_the_code_is_in_the_catalogues(messages_in_code):
    assert len(messages_in_code) > 100  # the scratch run really walked the code and templates
    for lang in LANGS:
        missing, stale = out_of_date(messages_in_code, catalogue(lang))
        assert not missing, f"{len(missing)} messages of the code not in {lang}: {sorted(missing)[:5]}; {TO_DO}"
        assert not stale, f"{len(stale)} entries in {lang} no code uses: {sorted(stale)[:5]}; {TO_DO}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext) is needed; .ci/run installs it"
    path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run([msgfmt, "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _scratch_copy(tmp_path: Path, lang: str = "fr") -> polib.POFile:
    path = catalogue(lang, tmp_path / "locale")
    path.parent.mkdir(parents=True)
    shutil.copy(catalogue(lang), path)
    return polib.pofile(str(path))


def _plain(po: polib.POFile, n: int) -> polib.POEntry:
    """The n-th translated entry without plural or placeholders."""
    return [e for e in po if e.translated() and not e.msgid_plural and "python-format" not in e.flags][n]


def test_fuzzy_messages_are_not_shipped(tmp_path, settings, monkeypatch):
    # `make messages` is compilemessages without --use-fuzzy: msgfmt leaves fuzzy entries out, so
    # the visitor reads the English message rather than a translation nobody has checked.
    po = _scratch_copy(tmp_path)
    fuzzy, kept = _plain(po, 0), _plain(po, 1)
    fuzzy.flags.append("fuzzy")
    po.save()
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("compilemessages", locale=["fr"], verbosity=0)
    with open(catalogue("fr", tmp_path / "locale").with_suffix(".mo"), "rb") as mo:
        shipped = gettext.GNUTranslations(mo)
    assert shipped.gettext(fuzzy.msgid) == fuzzy.msgid
    assert shipped.gettext(kept.msgid) == kept.msgstr != kept.msgid


def test_the_checks_catch_what_they_are_for(tmp_path):
    """Each check above fails on a scratch copy broken in the way it looks for."""
    # The catalogue's own msgids stand for the code's here: only one test runs makemessages, as
    # two at once (pytest-xdist) would share its temporary files beside the templates.
    messages_in_code = msgids(catalogue("fr"))
    po = _scratch_copy(tmp_path)
    fuzzy, untranslated, dropped = _plain(po, 0), _plain(po, 1), _plain(po, 2)
    fuzzy.flags.append("fuzzy")
    untranslated.msgstr = ""
    plural = next(e for e in po if e.msgid_plural)
    plural.msgstr_plural[len(plural.msgstr_plural) - 1] = ""
    po.remove(dropped)
    po.append(polib.POEntry(msgid="A message no code asks for", msgstr="Un message"))
    po.save()
    path = Path(po.fpath)

    found = problems(path)
    assert f"fuzzy: {fuzzy.msgid!r}" in found
    assert f"untranslated: {untranslated.msgid!r}" in found
    assert f"untranslated: {plural.msgid!r}" in found
    missing, stale = out_of_date(messages_in_code, path)
    assert missing == {(None, dropped.msgid, "")} and stale == {(None, "A message no code asks for", "")}


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
