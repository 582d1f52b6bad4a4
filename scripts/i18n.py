"""Translator workflow: extract, update, compile and check the gettext catalogs.

    python scripts/i18n.py extract   # code -> translations/messages.pot
    python scripts/i18n.py update    # .pot -> translations/<lang>/LC_MESSAGES/messages.po (keeps translations)
    python scripts/i18n.py compile   # .po -> .mo (the build does this too)
    python scripts/i18n.py check     # no empty or fuzzy entries, placeholders kept
    python scripts/i18n.py formats   # babel's CLDR data -> app/locale_data.py (after a babel upgrade)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from a checkout

from app.enums import LANGUAGE_CODES, Language  # noqa: E402

POT = ROOT / "translations" / "messages.pot"
LANGS = LANGUAGE_CODES
#: The catalogs a translator fills in (English is the source language).
TRANSLATED = tuple(lang for lang in LANGUAGE_CODES if lang != Language.EN)
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "translate_in:2"]
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)\}(?!\})")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract() -> None:
    pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output", "--no-wrap",
            "--project", "Likvard", "--copyright-holder", "Likvard", "-o", str(POT), "app", "ui")


def update() -> None:
    for lang in LANGS:
        po = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            pybabel("update", "-i", str(POT), "-d", "translations", "-l", lang, "--no-wrap", "--ignore-obsolete",
                    "--no-fuzzy-matching")
        else:
            pybabel("init", "-i", str(POT), "-d", "translations", "-l", lang, "--no-wrap")


def compile_catalogs(out_dir: Path | None = None) -> list[Path]:
    """Compile every .po into a .mo (beside it, or below ``out_dir``)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        target = (out_dir / lang / "LC_MESSAGES" / "messages.mo") if out_dir else po.with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(target)
    return written


def catalog_problems(po: Path, lang: str) -> list[str]:
    """Untranslated or fuzzy entries, and translations whose {placeholders} differ from the source."""
    from babel.messages.pofile import read_po

    problems = []
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strs):
            problems.append(f"{lang}: untranslated or fuzzy: {ids[0]!r}")
            continue
        want = set(PLACEHOLDER.findall(" ".join(ids)))
        found = [set(PLACEHOLDER.findall(s)) for s in strs]
        # a plural form may leave out {count} as English "One item" does, but may invent nothing
        if any(f - want for f in found) or set().union(*found) != want:
            problems.append(f"{lang}: placeholders differ: {ids[0]!r} -> {strs!r}")
    return problems


LOCALE_DATA = ROOT / "app" / "locale_data.py"


def formats_source() -> str:
    """app/locale_data.py as the installed babel gives it (the locales of the three languages, the
    currencies a case may have)."""
    from app.domain.facts import CURRENCIES
    from app.fastformat import table_source
    from app.i18n import babel_locale

    return table_source(tuple(babel_locale(lang) for lang in LANGS), CURRENCIES)


def check() -> int:
    problems = []
    for lang in TRANSLATED:
        problems += catalog_problems(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", lang)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        for path in compile_catalogs():
            print(path)
    elif command == "check":
        sys.exit(check())
    elif command == "formats":
        from app.fileio import atomic_write_bytes

        atomic_write_bytes(LOCALE_DATA, formats_source().encode("utf-8"))  # never half a module
        print(LOCALE_DATA)
    else:
        print(__doc__)
        sys.exit(2)
