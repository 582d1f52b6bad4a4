"""Editing operations on a draft's content, shared by the template editor and tests.

They change a :class:`TemplateContent` in place and keep it coherent: renaming an item's key
renames the references to it in every condition; removing an item leaves conditions that point
at it for validation to report ("conditions pointing at missing or later-deleted items").
"""

from __future__ import annotations

import copy
from typing import Any

from app.domain.conditions import item_references
from app.domain.locations import Location as Location  # re-exported
from app.domain.locations import parse_location as parse_location  # re-exported
from app.domain.template import CHOICE_TYPES, Item, Option, Section, TemplateContent, parse_template, validate_content
from app.errors import Problem


def clone(content: TemplateContent) -> TemplateContent:
    """A deep, independent copy."""
    return copy.deepcopy(content)


def from_dict(data: dict[str, Any]) -> TemplateContent:
    return parse_template(data, strict=False)


def all_keys(content: TemplateContent) -> set[str]:
    return {s.key for s in content.sections} | {i.key for i in content.items()}


def unique_key(content: TemplateContent, base: str) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is free among section and item keys."""
    taken = all_keys(content)
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def new_section(content: TemplateContent, title: str, index: int | None = None) -> Section:
    section = Section(key=unique_key(content, "section"), title={content.default_language: title})
    content.sections.insert(len(content.sections) if index is None else index, section)
    return section


def new_item(content: TemplateContent, section_index: int, item_type: str, label: str,
             index: int | None = None) -> Item:
    item = Item(key=unique_key(content, "item"), type=item_type, label={content.default_language: label})
    if item_type in CHOICE_TYPES:
        item.options = [Option("option_1", {content.default_language: "1"}),
                        Option("option_2", {content.default_language: "2"})]
    items = content.sections[section_index].items
    items.insert(len(items) if index is None else index, item)
    return item


def _rename_in(cond: Any, old: str, new: str) -> None:
    for node in item_references(cond):
        if node["item"] == old:
            node["item"] = new


def rename_item(content: TemplateContent, old: str, new: str) -> None:
    """Rename an item's key and every condition's reference to it."""
    for section in content.sections:
        _rename_in(section.visible_when, old, new)
        for item in section.items:
            if item.key == old:
                item.key = new
            _rename_in(item.visible_when, old, new)
            _rename_in(item.flag_when, old, new)


def find_item(content: TemplateContent, key: str) -> tuple[int, int]:
    for si, section in enumerate(content.sections):
        for ii, item in enumerate(section.items):
            if item.key == key:
                return si, ii
    raise KeyError(key)


def move_item(content: TemplateContent, key: str, section_index: int, index: int) -> None:
    """Move an item to position ``index`` of section ``section_index``."""
    si, ii = find_item(content, key)
    item = content.sections[si].items.pop(ii)
    target = content.sections[section_index].items
    target.insert(max(0, min(index, len(target))), item)


def move_section(content: TemplateContent, index: int, new_index: int) -> None:
    section = content.sections.pop(index)
    content.sections.insert(max(0, min(new_index, len(content.sections))), section)


def remove_item(content: TemplateContent, key: str) -> Item:
    si, ii = find_item(content, key)
    return content.sections[si].items.pop(ii)


def add_language(content: TemplateContent, lang: str) -> None:
    if lang not in content.languages:
        content.languages.append(lang)


def remove_language(content: TemplateContent, lang: str) -> None:
    """Drop a language and its texts (never the default language)."""
    if lang == content.default_language or lang not in content.languages:
        return
    content.languages.remove(lang)

    def drop(texts: dict[str, str]) -> None:
        texts.pop(lang, None)

    drop(content.title)
    drop(content.description)
    for section in content.sections:
        drop(section.title)
        for item in section.items:
            for texts in (item.label, item.guidance, item.flag_explanation):
                drop(texts)
            for option in item.options:
                drop(option.label)


def problems_of(content: TemplateContent) -> list[Problem]:
    """Everything the validation panel lists: errors (block publishing) then warnings."""
    from app.errors import TemplateFormatError

    errors: list[Problem] = []
    try:
        parse_template(content.to_dict())
    except TemplateFormatError as exc:
        errors = list(exc.problems)
    warnings = [p for p in validate_content(content) if p.severity == "warning"]
    return errors + warnings
