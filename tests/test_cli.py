"""The headless command line, run as a real subprocess on a real database file."""

from __future__ import annotations

import json

from tests.conftest import DATA, run_cli


def test_demo_then_list_json_on_a_new_database(tmp_path):
    db = tmp_path / "fresh" / "cases.sqlite"
    tpl = run_cli("templates", "import", str(DATA / "all_types.json"), "--db", str(db))
    assert tpl.returncode == 0, tpl.stderr
    demo = run_cli("demo", "--count", "200", "--seed", "7", "--db", str(db))
    assert demo.returncode == 0, demo.stderr
    assert "200" in demo.stdout
    listed = run_cli("assessments", "list", "--json", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 200
    assert {r["ownership"] for r in rows} == {"women_led", "men_led", "mixed", "not_disclosed"}
    assert len({r["advisor"] for r in rows}) >= 5 and len({r["branch"] for r in rows}) >= 4
    assert len({r["sector"] for r in rows}) >= 6
    for r in rows:
        if r["decision"] in ("refused", "withdrawn"):
            assert r["amount_granted"] in (None, "0.00")
        if r["decision"] == "granted":
            assert r["amount_granted"] == r["amount_requested"]
        if r["decision"] == "partly_granted":
            assert float(r["amount_granted"]) < float(r["amount_requested"])
    completed = run_cli("assessments", "list", "--status", "completed", "--json", "--db", str(db))
    done = json.loads(completed.stdout)
    assert 0 < len(done) < 200 and all(r["status"] == "completed" for r in done)
    shown = run_cli("assessments", "show", rows[0]["id"], "--db", str(db))
    assert shown.returncode == 0 and rows[0]["case_reference"] in shown.stdout


def test_templates_list_export_and_errors(tmp_path):
    db = tmp_path / "t.sqlite"
    assert run_cli("templates", "import", str(DATA / "all_types.json"), "--db", str(db)).returncode == 0
    listed = run_cli("templates", "list", "--json", "--db", str(db))
    keys = {(t["key"], t["version"], t["status"]) for t in json.loads(listed.stdout)}
    assert ("all_types", 1, "published") in keys
    out = tmp_path / "export.json"
    exported = run_cli("templates", "export", "all_types@1", str(out), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == (DATA / "all_types.json").read_bytes()
    missing = run_cli("templates", "export", "nope", str(tmp_path / "x.json"), "--db", str(db))
    assert missing.returncode == 1 and "nope" in missing.stderr and not (tmp_path / "x.json").exists()
    bad_dir = run_cli("templates", "export", "all_types", str(tmp_path / "no" / "dir" / "x.json"), "--db", str(db))
    assert bad_dir.returncode == 1 and "does not exist" in bad_dir.stderr
    unknown = run_cli("assessments", "show", "not-a-uuid", "--db", str(db))
    assert unknown.returncode == 1 and "not an assessment id" in unknown.stderr


def test_export_to_a_missing_folder_is_the_same_clean_error_for_every_format(tmp_path):
    db = tmp_path / "t.sqlite"
    assert run_cli("templates", "import", str(DATA / "all_types.json"), "--db", str(db)).returncode == 0
    errors = {}
    for suffix in (".json", ".xlsx"):
        target = tmp_path / "no" / "dir" / f"x{suffix}"
        result = run_cli("templates", "export", "all_types", str(target), "--db", str(db))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "does not exist" in result.stderr
        errors[suffix] = result.stderr.replace(target.name, "")
    assert errors[".json"] == errors[".xlsx"]
    assert not (tmp_path / "no").exists()


def test_messages_follow_the_language(tmp_path):
    db = tmp_path / "sv.sqlite"
    result = run_cli("assessments", "list", "--db", str(db), "--lang", "sv")
    assert result.returncode == 0
    from app.i18n import translate_in

    assert translate_in("sv", "No assessments.") in result.stdout


def test_broken_database_is_reported_and_left_alone(tmp_path):
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"not a database" * 100)
    result = run_cli("assessments", "list", "--db", str(db))
    assert result.returncode == 1 and "left untouched" in result.stderr
    assert db.read_bytes() == b"not a database" * 100


def test_likvard_db_variable(tmp_path):
    db = tmp_path / "env.sqlite"
    result = run_cli("templates", "list", env={"LIKVARD_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def test_assessments_list_prints_a_translated_header_row(services, all_types_version):
    from app.domain.facts import CaseFacts

    services.assessments.create(all_types_version.id, CaseFacts(case_reference="HDR-1"))
    proc = run_cli("assessments", "list")
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0 and lines[0].split("\t")[:3] == ["Id", "Case reference", "Case date"]
    assert lines[1].split("\t")[1] == "HDR-1"
    swedish = run_cli("assessments", "list", "--lang", "sv").stdout.splitlines()[0].split("\t")
    assert swedish[1] != "Case reference"  # the fact labels, already translated


def test_a_fresh_draft_shows_no_score_yet(services, all_types_version):
    from app.domain.facts import CaseFacts

    aid = services.assessments.create(all_types_version.id, CaseFacts(case_reference="S-1"))
    proc = run_cli("assessments", "show", str(aid))
    assert proc.returncode == 0 and "Score: no score yet" in proc.stdout and "100" not in proc.stdout
    services.assessments.set_answer(aid, "family_asked", "no")
    assert "Score: 100" in run_cli("assessments", "show", str(aid)).stdout


def test_templates_publish_a_draft_from_the_command_line(services, all_types_version):
    from app.domain.template import Item

    refused = run_cli("templates", "publish", "all_types@1")
    assert refused.returncode == 1 and "only a draft can be published" in refused.stderr
    assert run_cli("templates", "publish", "all_types").returncode == 1  # no draft yet
    draft = services.templates.create_draft(all_types_version.id)
    content = services.templates.content(draft.id)
    content.sections[1].items.append(Item(key="new_q", type="single_choice", label={"en": "New?"}))
    services.templates.update_draft(draft.id, content)
    invalid = run_cli("templates", "publish", "all_types@2")
    assert invalid.returncode == 1 and "was not published" in invalid.stderr, invalid.stderr
    assert "Traceback" not in invalid.stderr
    assert services.templates.find_version("all_types", 2).status == "draft"
    content.sections[1].items.pop()
    services.templates.update_draft(draft.id, content)
    proc = run_cli("templates", "publish", "all_types")
    assert proc.returncode == 0 and "Published all_types version 2." in proc.stdout, proc.stderr
    assert services.templates.find_version("all_types", 2).status == "published"


def test_the_core_command_line_opens_the_gui_only_through_the_function_main_py_hands_it(capsys, monkeypatch):
    """app/ never imports ui/: without an opener, no subcommand is a clear error, not a window."""
    import sys

    from app.cli import run

    monkeypatch.delitem(sys.modules, "ui.app", raising=False)
    assert run([]) == 2
    assert "not available" in capsys.readouterr().err
    assert "ui.app" not in sys.modules
    opened: list[tuple[object, object]] = []
    assert run(["--lang", "sv"], open_gui=lambda db, lang: opened.append((db, lang)) or 0) == 0
    assert opened == [(None, "sv")]


def test_a_missing_file_is_described_in_the_users_language_in_every_command(tmp_path, db_path):
    """No English operating-system text ("No such file or directory") reaches a Swedish user."""
    missing = tmp_path / "saknas.pdf"
    for args in (("import-pdf", str(missing)), ("verify", str(missing)), ("trust", "add", str(missing))):
        result = run_cli("--lang", "sv", *args, "--db", str(db_path))
        assert result.returncode != 0, args
        assert "No such file" not in result.stderr + result.stdout, (args, result.stderr)
        assert "saknas.pdf" in result.stderr + result.stdout, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_show_and_export_pdf_take_the_case_reference_as_well_as_the_id(services, all_types_version, tmp_path):
    """Issue 10 item 12."""
    from app.domain.facts import CaseFacts

    aid = services.assessments.create(all_types_version.id, CaseFacts(case_reference="GBG-REF-7"))
    by_reference = run_cli("assessments", "show", "GBG-REF-7")
    by_id = run_cli("assessments", "show", str(aid))
    assert by_reference.returncode == 0 and "GBG-REF-7" in by_reference.stdout, by_reference.stderr
    assert by_reference.stdout == by_id.stdout
    out = tmp_path / "by reference.pdf"
    exported = run_cli("export-pdf", "GBG-REF-7", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"%PDF")
    unknown = run_cli("assessments", "show", "NO-SUCH-REF")
    assert unknown.returncode == 1 and "NO-SUCH-REF" in unknown.stderr and "Traceback" not in unknown.stderr
