#!/usr/bin/env python3
"""Bring the gettext catalogues (locale/<lang>/LC_MESSAGES/django.po) up to date with the code.

Usage: catalogues.py                  `make catalogues`: makemessages for every language below
       catalogues.py --into DIR [-l fr]  the same into DIR/<lang>/LC_MESSAGES (a scratch copy), so a
                                       test can compare what the code asks for with what is there

The .po files are the one source of translations: translators edit them (Poedit, Weblate, by
hand); this only adds new msgids, marks changed ones fuzzy (msgmerge) and drops removed ones.
docs/translating.md tells the whole flow.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The languages translated; English is the source language and has no catalogue.
LANGS = ("ar", "zh_Hans", "fr", "ru", "es")

# Folders whose strings never reach a visitor: tools, tests, installed packages, generated files.
IGNORE = (".venv", "node_modules", "tests", "bench", "scripts", "docs", "var", "artifacts",
          "static_root", "*.egg-info")

OPTIONS = {
    "ignore_patterns": list(IGNORE),
    # A message no longer in the code leaves the catalogue (git keeps its history); a changed one
    # is still matched by msgmerge first, and kept as a fuzzy suggestion.
    "no_obsolete": True,
    # File names without line numbers: otherwise every edit that moves a line rewrites the
    # references in five catalogues, and parallel branches conflict there.
    "add_location": "file",
}


def makemessages(into: Path | None = None, langs: tuple[str, ...] = LANGS, verbosity: int = 1) -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # makemessages walks the current directory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
    import django
    from django.core.management import call_command
    from django.core.management.commands import makemessages as django_makemessages

    django.setup()
    command = django_makemessages.Command()
    if into is not None:
        into.mkdir(parents=True, exist_ok=True)

        # makemessages picks the locale folder nearest each source file (ours, ./locale), whatever
        # LOCALE_PATHS says; redirect every file to the scratch folder, where the .pot is then built.
        def find_files(root, _find=command.find_files):
            files = _find(root)
            command.locale_paths.insert(0, str(into))
            for file in files:
                file.locale_dir = str(into)
            return files

        command.find_files = find_files
    call_command(command, locale=list(langs), verbosity=verbosity, **OPTIONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, help="write the catalogues under this folder instead")
    parser.add_argument("-l", "--locale", action="append", choices=LANGS, help="only these languages")
    parser.add_argument("-v", "--verbosity", type=int, default=1)
    args = parser.parse_args(argv)
    makemessages(args.into.resolve() if args.into else None, tuple(args.locale or LANGS), args.verbosity)
    return 0


if __name__ == "__main__":
    sys.exit(main())
