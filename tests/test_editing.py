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
    assert editing.parse_location("title.sv") == editing.Location(None, None, "title.sv", "title", language="sv")
    loc = editing.parse_location("sections[4].items[3].options[1].label.fr")
    assert (loc.section, loc.item, loc.name, loc.index, loc.sub, loc.language) == (4, 3, "options", 1, "label", "fr")
    loc = editing.parse_location("sections[0].items[2].flag_when.all_of[1].any_of[0].item")
    assert (loc.name, loc.condition) == ("flag_when", "all_of[1].any_of[0].item")
    assert editing.parse_location("line 2, column 9") == editing.Location(None, None, "line 2, column 9")


def test_problems_are_said_in_words_in_every_language():
    """Issue 10 item 8: the validation panel says where a problem is, not a JSON path."""
    from app.domain.locations import describe_location, describe_problem
    from app.errors import Problem
    from app.i18n import set_language

    missing = Problem("sections[4].items[3].flag_explanation.fr", "missing translation", "warning", "missing_translation")
    assert describe_problem(missing) == "Section 5, item 4: the flag explanation is missing in French"
    option = Problem("sections[0].items[1].options[1].label.sv", "missing translation", "warning", "missing_translation")
    assert describe_problem(option) == "Section 1, item 2: the label of option 2 is missing in Swedish"
    assert describe_location("sections[0].items[2].flag_when.all_of[1].item") == "Section 1, item 3, flag rule, condition 2"
    assert describe_location("sections[1].visible_when") == "Section 2, visibility condition"
    assert describe_location("sections[1].items[0].key") == "Section 2, item 1, key"
    assert describe_location("sections[1].items[0].options[2].value") == "Section 2, item 1, option 3, value"
    assert describe_location("title.sv") == "Template, title in Swedish"
    assert describe_location("line 2, column 9") == "line 2, column 9"  # not a place in a template: kept
    c = content()
    c.sections[0].items[1].flag_explanation.pop("fr")
    said = [describe_problem(p) for p in validate_content(c)]
    assert "Section 1, item 2: the flag explanation is missing in French" in said
    assert not [s for s in said if "sections[" in s or "flag_explanation" in s]
    set_language("fr")
    try:
        french = describe_problem(missing)
    finally:
        set_language("en")
    assert "français" in french and "French" not in french  # the language name in the user's language
