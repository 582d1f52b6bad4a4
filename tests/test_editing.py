"""Editing operations on a draft: keys, moves, references, locations."""

from __future__ import annotations

from app.domain import editing
from app.domain.template import validate_content
from app.exchange.json_format import read_template_file
from tests.conftest import DATA


def content():
    return read_template_file(DATA / "all_types.json")


def test_rename_follows_references():
    c = content()
    editing.rename_item(c, "family_asked", "family_questions")
    assert c.item("family_all").visible_when == {"item": "family_questions", "op": "equals", "value": "yes"}
    assert c.item("family_questions").flag_when["item"] == "family_questions"
    assert not [p for p in validate_content(c) if p.severity == "error"]


def test_removed_item_leaves_a_located_dangling_reference():
    c = content()
    editing.remove_item(c, "family_asked")
    problems = [p for p in validate_content(c) if p.severity == "error"]
    assert any("unknown item" in p.message and p.location.startswith("sections[0].items[1].visible_when") for p in problems)
    loc = editing.parse_location(problems[0].location)
    assert (loc.section, loc.item) == (0, 1) and loc.field.startswith("visible_when")


def test_new_items_sections_and_moves():
    c = content()
    section = editing.new_section(c, "Follow-up")
    assert section.key == "section" and c.sections[-1] is section
    item = editing.new_item(c, len(c.sections) - 1, "single_choice", "Referral offered?")
    assert item.key == "item" and len(item.options) == 2
    assert editing.new_item(c, 0, "yes_no_na", "Again").key == "item_2"
    editing.move_item(c, "item", 0, 0)
    assert c.sections[0].items[0].key == "item"
    editing.move_section(c, len(c.sections) - 1, 0)
    assert c.sections[0].key == "section"
    # missing translations of the new texts are warnings, not errors
    warnings = [p for p in validate_content(c) if p.severity == "warning"]
    assert any(p.location.endswith("label.sv") for p in warnings)


def test_languages():
    c = content()
    editing.remove_language(c, "fr")
    assert c.languages == ["en", "sv"] and "fr" not in c.item("family_asked").label
    editing.remove_language(c, "en")  # the default language stays
    assert "en" in c.languages
    editing.add_language(c, "fr")
    assert c.languages == ["en", "sv", "fr"]


def test_parse_location():
    assert editing.parse_location("sections[3]") == editing.Location(3, None, "")
    assert editing.parse_location("title.sv") == editing.Location(None, None, "title.sv")
