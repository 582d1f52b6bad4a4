"""What the checklist generators share: texts in the three languages with each language's
typography, items, options and conditions as JSON-ready dicts, and writing or checking the
canonical JSON files.

Used by ``build_bundled_checklist.py`` (the first bundled checklist, kept for the cases filled
with it) and ``build_checklists.py`` (*Credit decision* and *Advice meeting*). Not a part of the
application: the app reads only the JSON these scripts write.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.enums import LANGUAGE_CODES, Language  # noqa: E402

LANGUAGES = list(LANGUAGE_CODES)
DEFAULT_LANGUAGE = Language.EN.value
FORMAT = "likvard-template/1"

NBSP = "\u00a0"
_FR_TYPOGRAPHY = (
    (" ?", NBSP + "?"), (" !", NBSP + "!"), (" ;", NBSP + ";"), (" :", NBSP + ":"),
    ("« ", "«" + NBSP), (" »", NBSP + "»"), (" %", NBSP + "%"),
)
# 'quoted words' (an apostrophe after a letter, as in client's, is not a quote)
_QUOTED = re.compile(r"(?<![^\W\d_])'([^']+?)'(?![^\W\d_])")


def t(en: str, sv: str, fr: str) -> dict[str, str]:
    """Texts in the three languages, with each language's typography.

    Sources are typed with plain 'quotes' and spaces: English gets \u201c\u201d, Swedish \u201d\u201d,
    French non-breaking spaces before ? ! ; : % and inside \u00ab \u00bb.
    """
    for old, new in _FR_TYPOGRAPHY:
        fr = fr.replace(old, new)
    en = _QUOTED.sub("\u201c\\1\u201d", en).replace(" %", "%")
    sv = _QUOTED.sub("\u201d\\1\u201d", sv).replace(" %", NBSP + "%")
    return {Language.EN.value: en, Language.SV.value: sv, Language.FR.value: fr}


def typeset(lang: str, text: str) -> str:
    """One text with the typography ``t`` gives its language."""
    return t(text, text, text)[lang]


def opt(value: str, en: str, sv: str, fr: str) -> dict[str, Any]:
    return {"value": value, "label": t(en, sv, fr)}


def item(key: str, type_: str, label: dict[str, str], guidance: dict[str, str], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"key": key, "type": type_, "label": label, "guidance": guidance}
    out.update(extra)
    return out


def answer(key: str, op: str, value: Any = None) -> dict[str, Any]:
    """Condition on another item's answer."""
    cond: dict[str, Any] = {"item": key, "op": op}
    if value is not None:
        cond["value"] = value
    return cond


def fact(name: str, op: str, value: Any = None) -> dict[str, Any]:
    """Condition on a case fact."""
    cond: dict[str, Any] = {"fact": name, "op": op}
    if value is not None:
        cond["value"] = value
    return cond


def all_of(*conds: dict[str, Any]) -> dict[str, Any]:
    return {"all_of": list(conds)}


def any_of(*conds: dict[str, Any]) -> dict[str, Any]:
    return {"any_of": list(conds)}


def not_(cond: dict[str, Any]) -> dict[str, Any]:
    return {"not": cond}


def template(key: str, title: dict[str, str], description: dict[str, str],
             sections: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole template in the three languages, English the default."""
    return {"format": FORMAT, "key": key, "default_language": DEFAULT_LANGUAGE, "languages": list(LANGUAGES),
            "title": title, "description": description, "sections": sections}


def render_template(data: dict[str, Any], name: str = "") -> str:
    """Parse and validate a template; return its canonical JSON text.

    Raises SystemExit listing every problem, warnings included: a bundled checklist must be
    complete in all its languages.
    """
    from app.domain.template import parse_template, validate_content

    content = parse_template(data)
    problems = validate_content(content)
    if problems:
        prefix = f"{name}: " if name else ""
        raise SystemExit("\n".join(f"{prefix}{p.severity}: {p}" for p in problems))
    return content.canonical_json()


def write_or_check(outputs: dict[Path, str], script: str, check: bool) -> int:
    """Write each file (its canonical JSON), or with ``check`` only tell which ones are out of date."""
    stale = 0
    for path, text in outputs.items():
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                print(f"{path} is out of date: run python scripts/{script}", file=sys.stderr)
                stale += 1
            else:
                print(f"{path} is up to date")
        else:
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path}")
    return 1 if stale else 0
