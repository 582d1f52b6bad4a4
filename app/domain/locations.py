"""Where a template problem is, in words: ``sections[4].items[3].flag_explanation.fr`` ->
"Section 5, item 4: the flag explanation is missing in French".

Problems carry a technical location (a path into the template's JSON) so files, the CLI and the
editor can point at the exact place; people read the sentence this module makes of it. Every
piece is translated and joined with named placeholders, so a translation may reorder them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.template import LANG_RE, TemplateContent
from app.errors import Problem
from app.i18n import N_, _, babel_locale, get_language

_LOCATION = re.compile(r"^sections\[(\d+)\](?:\.items\[(\d+)\])?(?:\.(.*))?$")
_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.*))?$")
_TOP_LEVEL = ("format", "key", "languages", "default_language", "title", "description", "sections")

#: What each field of a template is called (lower case: it follows the place in a sentence).
FIELD_NAMES = {
    "format": N_("format"),
    "key": N_("key"),
    "languages": N_("languages"),
    "default_language": N_("default language"),
    "title": N_("title"),
    "description": N_("description"),
    "sections": N_("sections"),
    "items": N_("items"),
    "type": N_("type"),
    "label": N_("label"),
    "guidance": N_("guidance"),
    "required": N_("required"),
    "options": N_("options"),
    "value": N_("value"),
    "visible_when": N_("visibility condition"),
    "flag_when": N_("flag rule"),
    "flag_explanation": N_("flag explanation"),
    "weight": N_("weight"),
    "min": N_("minimum"),
    "max": N_("maximum"),
    "private": N_("private"),
    "sources": N_("sources"),
    "section": N_("section"),
    "section_order": N_("order of the sections"),
}
#: A missing translation said as a whole sentence (so each language can choose its own grammar).
MISSING_TEXT = {
    "title": N_("the title is missing in {language}"),
    "description": N_("the description is missing in {language}"),
    "label": N_("the label is missing in {language}"),
    "guidance": N_("the guidance is missing in {language}"),
    "flag_explanation": N_("the flag explanation is missing in {language}"),
}
TEXT_FIELDS = tuple(MISSING_TEXT)
CONDITION_FIELDS = ("visible_when", "flag_when")


@dataclass(frozen=True)
class Location:
    """Where a problem is: section index, item index (or None), and the rest of the path.

    ``name`` is the field (``label``, ``options``, ``flag_when``...), ``index`` the position in a
    list field (an option, a source), ``language`` the code of a text's language, ``condition`` the
    path inside a condition (``all_of[1].item``) and ``sub`` the field inside an option.
    """

    section: int | None
    item: int | None
    field: str
    name: str = ""
    index: int | None = None
    sub: str = ""
    language: str | None = None
    condition: str = ""


def _is_language(text: str) -> bool:
    return bool(LANG_RE.match(text))


def parse_location(location: str) -> Location:
    """``sections[1].items[2].label.sv`` -> Location(1, 2, "label.sv", name="label", language="sv")."""
    match = _LOCATION.match(location)
    if match:
        section: int | None = int(match.group(1))
        item = int(match.group(2)) if match.group(2) else None
        field = match.group(3) or ""
    else:
        section, item, field = None, None, location
    fm = _FIELD.match(field)
    if not fm or (section is None and fm.group("name") not in _TOP_LEVEL):
        return Location(section, item, field)
    name, rest = fm.group("name"), fm.group("rest") or ""
    index = int(fm.group("index")) if fm.group("index") is not None else None
    language = None
    sub = condition = ""
    if name in CONDITION_FIELDS:
        condition = field[len(name):].lstrip(".")
    elif name == "options" and index is not None:
        sub, _dot, lang = rest.partition(".")
        language = lang if lang and _is_language(lang) else None
    elif name in TEXT_FIELDS and rest and _is_language(rest):
        language = rest
    return Location(section, item, field, name, index, sub, language, condition)


def language_name(code: str, lang: str | None = None) -> str:
    """A language code as its name in the user's language: "fr" -> "French", "franska", "français"."""
    from babel import Locale

    try:
        return Locale.parse(babel_locale(lang)).languages.get(code) or code
    except (ValueError, LookupError):
        return code


def _condition_number(path: str) -> str:
    """``all_of[1].any_of[0].item`` -> "2.1": the condition's number inside the rule, 1-based."""
    return ".".join(str(int(n) + 1) for n in re.findall(r"\[(\d+)\]", path))


def field_name(name: str) -> str:
    """A template field's name in words ("flag_when" -> "flag rule")."""
    return _(FIELD_NAMES[name]) if name in FIELD_NAMES else _("field \u201c{name}\u201d").format(name=name)


def describe_place(loc: Location) -> str:
    """"Section 5, item 4", "Section 2" or "Template"."""
    if loc.section is None:
        return _("Template")
    if loc.item is None:
        return _("Section {section}").format(section=loc.section + 1)
    return _("Section {section}, item {item}").format(section=loc.section + 1, item=loc.item + 1)


def describe_field(loc: Location) -> str:
    """The field part in words: "flag explanation in French", "option 2, label in French",
    "flag rule, condition 2.1" — or "" when the place itself is meant."""
    if not loc.field:
        return ""
    if not loc.name:
        return loc.field
    field = field_name(loc.name)
    if loc.name in CONDITION_FIELDS:
        number = _condition_number(loc.condition)
        return _("{field}, condition {number}").format(field=field, number=number) if number else field
    if loc.name == "options" and loc.index is not None:
        option = _("option {number}").format(number=loc.index + 1)
        if not loc.sub:
            return option
        part = field_name(loc.sub)
        if loc.language:
            part = _("{field} in {language}").format(field=part, language=language_name(loc.language))
        return _("{option}, {field}").format(option=option, field=part)
    if loc.name == "sources" and loc.index is not None:
        return _("source {number}").format(number=loc.index + 1)
    if loc.language:
        return _("{field} in {language}").format(field=field, language=language_name(loc.language))
    return field


def describe_location(location: str) -> str:
    """``sections[4].items[3].flag_explanation.fr`` -> "Section 5, item 4, flag explanation in French".

    A location that is no path into a template ("line 3, column 7", a spreadsheet cell) is kept.
    """
    loc = parse_location(location)
    if loc.section is None and not loc.name:
        return location
    field = describe_field(loc)
    place = describe_place(loc)
    return _("{place}, {field}").format(place=place, field=field) if field else place


def describe_problem(problem: Problem) -> str:
    """The whole problem as one sentence, e.g. "Section 5, item 4: the flag explanation is missing in French"."""
    loc = parse_location(problem.location)
    if problem.code == "missing_translation" and loc.language:
        language = language_name(loc.language)
        if loc.name == "options" and loc.index is not None:
            what = _("the label of option {number} is missing in {language}").format(
                number=loc.index + 1, language=language)
        elif loc.name in MISSING_TEXT:
            what = _(MISSING_TEXT[loc.name]).format(language=language)
        else:
            what = problem.message
        return _("{place}: {message}").format(place=describe_place(loc), message=what)
    if not problem.location:
        return problem.message
    return _("{place}: {message}").format(place=describe_location(problem.location), message=problem.message)


def location_details(location: str, content: TemplateContent | None, lang: str | None = None) -> list[str]:
    """The titles of the section and item a location points at, one line each, for a tooltip."""
    loc = parse_location(location)
    if content is None or loc.section is None or loc.section >= len(content.sections):
        return []
    lang = lang or get_language()
    section = content.sections[loc.section]
    lines = [_("Section {number}: {title}").format(
        number=loc.section + 1, title=content.text(section.title, lang) or section.key)]
    if loc.item is not None and loc.item < len(section.items):
        item = section.items[loc.item]
        lines.append(_("Item {number}: {label} (key {key})").format(
            number=loc.item + 1, label=content.text(item.label, lang) or item.key, key=item.key))
    return lines
