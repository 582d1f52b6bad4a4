"""Differences between two template versions: items added, removed and changed, with old and new text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.template import TemplateContent


@dataclass(frozen=True)
class Change:
    """One difference. ``kind`` is "added", "removed" or "changed"; ``field`` names what changed."""

    kind: str
    scope: str  # "template", "section" or "item"
    key: str
    field: str = ""
    old: Any = None
    new: Any = None


def _fields(obj: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in skip}


def compare(old: TemplateContent, new: TemplateContent) -> list[Change]:
    """Every difference from ``old`` to ``new``, in the new version's order, removals last."""
    changes: list[Change] = []
    old_d, new_d = old.to_dict(), new.to_dict()
    for name in ("title", "description", "languages", "default_language"):
        if old_d.get(name) != new_d.get(name):
            changes.append(Change("changed", "template", new.key, name, old_d.get(name), new_d.get(name)))

    old_sections = {s["key"]: s for s in old_d["sections"]}
    new_sections = {s["key"]: s for s in new_d["sections"]}
    old_order = [s["key"] for s in old_d["sections"]]
    new_order = [s["key"] for s in new_d["sections"]]
    for key in new_order:
        if key not in old_sections:
            changes.append(Change("added", "section", key, new=new_sections[key].get("title")))
            continue
        for name, value in _fields(new_sections[key], ("items", "key")).items():
            if old_sections[key].get(name) != value:
                changes.append(Change("changed", "section", key, name, old_sections[key].get(name), value))
        for name in set(_fields(old_sections[key], ("items", "key"))) - set(new_sections[key]):
            changes.append(Change("changed", "section", key, name, old_sections[key].get(name), None))
    if [k for k in old_order if k in new_sections] != [k for k in new_order if k in old_sections]:
        changes.append(Change("changed", "template", new.key, "section_order", old_order, new_order))

    old_items = {i["key"]: (s["key"], i) for s in old_d["sections"] for i in s["items"]}
    new_items = {i["key"]: (s["key"], i) for s in new_d["sections"] for i in s["items"]}
    for key, (section, item) in new_items.items():
        if key not in old_items:
            changes.append(Change("added", "item", key, new=item.get("label")))
            continue
        old_section, old_item = old_items[key]
        if old_section != section:
            changes.append(Change("changed", "item", key, "section", old_section, section))
        for name in list(dict.fromkeys([*old_item, *item])):
            if name == "key":
                continue
            if old_item.get(name) != item.get(name):
                changes.append(Change("changed", "item", key, name, old_item.get(name), item.get(name)))
    for key, (_section, item) in old_items.items():
        if key not in new_items:
            changes.append(Change("removed", "item", key, old=item.get("label")))
    for key in old_order:
        if key not in new_sections:
            changes.append(Change("removed", "section", key, old=old_sections[key].get("title")))
    return changes
