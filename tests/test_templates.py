"""Template files: malformed files rejected with located messages and nothing written;
byte-stable export; published versions immutable at every layer."""

from __future__ import annotations

import copy
import json

import pytest

from app.domain.template import TemplateVersion, parse_template
from app.errors import ImmutableVersionError, TemplateFormatError
from app.exchange.json_format import parse_template_text, read_template_file
from app.storage.models import EventRow, TemplateVersionRow
from tests.conftest import DATA, run_cli

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)

BASE = json.loads((DATA / "all_types.json").read_text(encoding="utf-8"))


def mutate(fn):
    data = copy.deepcopy(BASE)
    fn(data)
    return data


def _set(path, value):
    def fn(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return fn


def _del(path):
    def fn(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return fn


MALFORMED = {
    "unknown type": (_set(["sections", 1, "items", 2, "type"], "yesno"), "sections[1].items[2].type", 'unknown type \u201cyesno\u201d'),
    "bad format id": (_set(["format"], "other/2"), "format", "likvard-template/1"),
    "missing key": (_del(["key"]), "key", "a key is required: lower-case letters, digits and _, starting with a letter"),
    "key not a text": (_set(["key"], 12), "key", "a key must be a text in quotes, not a number"),
    "item key a list": (_set(["sections", 0, "items", 1, "key"], ["a"]), "sections[0].items[1].key", "not a list"),
    "bad item key": (_set(["sections", 0, "items", 1, "key"], "Family Asked"), "sections[0].items[1].key", "invalid key"),
    "duplicate item key": (_set(["sections", 1, "items", 0, "key"], "channel"), "sections[1].items[0].key",
                           "duplicate item key \u201cchannel\u201d (also section 1, item 4)"),
    "duplicate section key": (_set(["sections", 1, "key"], "basics"), "sections[1].key", "duplicate section key"),
    "label not texts": (_set(["sections", 0, "items", 3, "label"], "Channel"), "sections[0].items[3].label", "texts per language"),
    "unknown language in text": (_set(["sections", 0, "title", "de"], "Grundlagen"), "sections[0].title.de", "not in the template's languages"),
    "default language not listed": (_set(["default_language"], "de"), "default_language", "one of the template's languages"),
    "choice with one option": (lambda d: d["sections"][0]["items"][3].__setitem__("options", d["sections"][0]["items"][3]["options"][:1]),
                               "sections[0].items[3].options", "at least two options"),
    "duplicate option": (_set(["sections", 0, "items", 3, "options", 1, "value"], "office"), "sections[0].items[3].options[1].value", "duplicate option"),
    "condition to missing item": (_set(["sections", 0, "items", 2, "visible_when", "item"], "ghost"), "sections[0].items[2].visible_when.item", "unknown item"),
    "unknown operator": (_set(["sections", 0, "items", 1, "flag_when", "op"], "=="), "sections[0].items[1].flag_when.op", "unknown operator"),
    "flag without explanation": (_del(["sections", 0, "items", 1, "flag_explanation"]), "sections[0].items[1].flag_explanation", "is required"),
    "circular visibility": (lambda d: (d["sections"][0]["items"][1].__setitem__("visible_when", {"item": "family_all", "op": "answered"})),
                            "visible_when", "circular visibility"),
    "required note": (_set(["sections", 0, "items", 0, "required"], True), "sections[0].items[0].required", "cannot be required"),
    "negative weight": (_set(["sections", 0, "items", 1, "weight"], -1), "sections[0].items[1].weight", "must not be negative"),
    "min above max": (_set(["sections", 1, "items", 2, "min"], 900), "sections[1].items[2].min", "minimum is above"),
    "unknown field": (_set(["sections", 0, "items", 1, "colour"], "red"), "sections[0].items[1].colour", "unknown field"),
    "no sections": (_set(["sections"], []), "sections", "non-empty list"),
    "required not boolean": (_set(["sections", 0, "items", 1, "required"], "yes"), "sections[0].items[1].required", "true or false"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_template_rejected_with_location(name):
    fn, location, fragment = MALFORMED[name]
    with pytest.raises(TemplateFormatError) as info:
        parse_template(mutate(fn))
    problems = info.value.problems
    assert any(p.location.endswith(location) and fragment in p.message for p in problems), problems


def test_every_problem_is_reported_at_once():
    data = mutate(lambda d: (_set(["sections", 1, "items", 2, "type"], "yesno")(d), _set(["format"], "x")(d),
                             _set(["sections", 0, "items", 3, "options", 1, "value"], "office")(d)))
    with pytest.raises(TemplateFormatError) as info:
        parse_template(data)
    locations = {p.location for p in info.value.problems}
    assert {"format", "sections[1].items[2].type", "sections[0].items[3].options[1].value"} <= locations


def test_invalid_json_and_encoding_are_located():
    with pytest.raises(TemplateFormatError) as info:
        parse_template_text('{"format": "likvard-template/1",\n "key": }')
    assert info.value.problems[0].location == "line 2, column 9"
    with pytest.raises(TemplateFormatError) as info:
        parse_template_text(b'{"key": "\xff"}')
    assert "UTF-8" in info.value.problems[0].message


def test_message_is_translated(tmp_path):
    from app import i18n

    i18n.set_language("sv")
    try:
        with pytest.raises(TemplateFormatError) as info:
            parse_template(mutate(_set(["sections", 1, "items", 2, "type"], "yesno")))
        message = str(info.value.problems[0].message)
    finally:
        i18n.set_language("en")
    from app.i18n import translate_in

    assert message == translate_in("sv", "unknown type \u201c{type}\u201d").format(type="yesno")


@pytest.mark.sqlite_only  # a subprocess or the file itself
def test_cli_import_of_malformed_files_writes_nothing(tmp_path, db_path):
    assert run_cli("templates", "list", "--db", str(db_path)).returncode == 0
    before = db_path.read_bytes()
    import sqlite3

    def counts():
        con = sqlite3.connect(db_path)
        try:
            return [con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("templates", "template_versions", "events")]
        finally:
            con.close()

    baseline = counts()
    for i, name in enumerate(sorted(MALFORMED)[:12]):
        path = tmp_path / f"bad{i}.json"
        path.write_text(json.dumps(mutate(MALFORMED[name][0]), ensure_ascii=False), encoding="utf-8")
        result = run_cli("templates", "import", str(path), "--db", str(db_path))
        assert result.returncode == 1, name
        assert MALFORMED[name][1] in result.stderr, (name, result.stderr)
        assert "not imported" in result.stderr
    assert counts() == baseline
    assert len(before) > 0


def test_import_export_is_byte_stable(services, tmp_path):
    out = tmp_path / "out.json"
    services.templates.export_file("all_types", 1, out)
    assert out.read_bytes() == (DATA / "all_types.json").read_bytes()
    again = services.templates.import_file(out)
    assert again.created is False and again.version.number == 1


def test_reimport_of_changed_content_adds_a_version(services, tmp_path):
    changed = mutate(_set(["title", "en"], "Every item type, revised"))
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    result = services.templates.import_file(path)
    assert result.created and result.version.number == 2
    assert services.templates.find_version("all_types").number == 2
    assert services.templates.find_version("all_types", 1).number == 1


def test_published_version_is_immutable_in_the_domain():
    content = read_template_file(DATA / "all_types.json")
    version = TemplateVersion(1, content)
    version.content = content  # a draft can change
    version.publish()
    with pytest.raises(ImmutableVersionError):
        version.content = content
    with pytest.raises(ImmutableVersionError):
        version.publish()
    version.retire()
    with pytest.raises(ImmutableVersionError):
        version.content = content


def test_published_version_is_immutable_in_services_and_storage(services, all_types_version):
    content = services.templates.content(all_types_version.id)
    with pytest.raises(ImmutableVersionError):
        services.templates.update_draft(all_types_version.id, content)
    with pytest.raises(ImmutableVersionError):
        with services.db.session() as s:
            row = s.get(TemplateVersionRow, all_types_version.id)
            row.content = {**row.content, "key": "hacked"}
    with pytest.raises(ImmutableVersionError):
        with services.db.session() as s:
            s.delete(s.get(TemplateVersionRow, all_types_version.id))
    assert services.templates.content(all_types_version.id).key == "all_types"


def test_draft_publish_retire_lifecycle(services):
    content = read_template_file(DATA / "all_types.json")
    content.title["en"] = "Draft title"
    draft = services.templates.add_version(content, publish=False).version
    assert draft.status == "draft"
    content.title["en"] = "Draft title 2"
    assert services.templates.update_draft(draft.id, content).title == "Draft title 2"
    published = services.templates.publish(draft.id)
    assert published.status == "published" and published.published_at is not None
    assert services.templates.retire(published.id).status == "retired"
    with services.db.session() as s:
        kinds = [e.kind for e in s.query(EventRow).order_by(EventRow.at)]
    assert {"template.published", "template.retired", "template.draft_updated"} <= set(kinds)


def test_bundled_checklist_is_installed_on_first_start(services):
    keys = {v.template_key for v in services.templates.published_versions()}
    from app.paths import resource_path

    if resource_path("checklists", "equal-treatment-credit.json").exists():
        assert "equal_treatment_credit" in keys
    # a second start does not add a version
    assert services.templates.install_bundled() == []


def test_misspelt_choice_value_in_a_condition_is_reported():
    data = mutate(_set(["sections", 1, "items", 1, "visible_when", "value"], ["refused", "partly-granted"]))
    with pytest.raises(TemplateFormatError) as info:
        parse_template(data)
    assert any(p.location == "sections[1].items[1].visible_when.value" and "partly-granted" in p.message
               for p in info.value.problems)
    data = mutate(_set(["sections", 0, "items", 1, "flag_when", "value"], "ja"))
    with pytest.raises(TemplateFormatError):
        parse_template(data)


def test_schema_lists_the_same_facts_and_operators_as_the_code():
    from app.domain.conditions import LEAF_OPS
    from app.domain.facts import FACT_KINDS
    from app.domain.template import ITEM_TYPES
    from app.paths import resource_path

    schema = json.loads(resource_path("checklists", "template.schema.json").read_text(encoding="utf-8"))
    leaf = schema["$defs"]["condition"]["oneOf"][3]["properties"]
    assert set(leaf["fact"]["enum"]) == set(FACT_KINDS)
    assert set(leaf["op"]["enum"]) == set(LEAF_OPS)
    assert set(schema["$defs"]["item"]["properties"]["type"]["enum"]) == set(ITEM_TYPES)


def test_test_template_validates_against_the_json_schema():
    import jsonschema

    from app.paths import resource_path

    schema = json.loads(resource_path("checklists", "template.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(BASE, schema)


def test_hash_does_not_depend_on_the_order_texts_are_written_in():
    reordered = mutate(lambda d: d.__setitem__("title", dict(reversed(list(d["title"].items())))))
    assert parse_template(reordered).content_hash() == parse_template(copy.deepcopy(BASE)).content_hash()


def _partial_workbook(path):
    """A calculate row (not imported) and a question whose condition on it is dropped."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in (["type", "name", "label", "relevant"], ["text", "first", "First"], ["calculate", "calc", None],
                ["text", "t", "T", "${calc} > 3"]):
        ws.append(row)
    wb.save(path)
    return path


def test_the_import_report_is_kept_with_the_draft_and_after_publishing(services, tmp_path, db_path):
    path = _partial_workbook(tmp_path / "partial.xlsx")
    outcome = services.templates.import_file(path, publish=False, allow_partial=True)
    assert outcome.version.status == "draft" and outcome.skipped
    report = services.templates.import_report(outcome.version.id)
    assert report is not None and report.file == "partial.xlsx"
    assert [(r.sheet, r.row, r.reason, r.kind) for r in report.skipped] == [
        (r.sheet, r.row, r.reason, r.kind) for r in outcome.skipped]
    assert report.item_rows == {"first": 2, "t": 4}
    assert {r.row: report.item_at(r.sheet, r.row) for r in report.skipped} == {3: None, 4: "t"}
    assert report.item_at("choices", 4) is None
    # kept (history) once published, and in a new Database object over the same file
    services.templates.publish(outcome.version.id)
    from app.services.templates import TemplateService
    from app.storage.db import open_database

    again = TemplateService(open_database(db_path)).import_report(outcome.version.id)
    assert again == report
    # a version from JSON, or a whole import, has none
    assert services.templates.import_report(services.templates.find_version("all_types").id) is None
    draft = services.templates.create_draft(outcome.version.id)
    assert services.templates.import_report(draft.id) is None


@pytest.mark.sqlite_only  # a subprocess or the file itself
def test_the_command_line_shows_the_kept_import_report(services, tmp_path):
    db_path = services.db.path
    path = _partial_workbook(tmp_path / "partial.xlsx")
    assert run_cli("templates", "import", str(path), "--draft", "--allow-partial", "--db", str(db_path)).returncode == 0
    shown = run_cli("templates", "import-report", "partial", "--db", str(db_path))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("partial.xlsx, imported as partial version 1")
    assert lines[1].startswith("  survey!3\tnot imported") and lines[2].startswith("  survey!4\titem t")
    none = run_cli("templates", "import-report", "all_types", "--db", str(db_path))
    assert none.returncode == 0 and "no import report" in none.stdout
