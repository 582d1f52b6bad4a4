"""Save offscreen screenshots of the desktop app's main screens (for the README).

    python scripts/screenshots.py [FOLDER] [--lang en|sv|fr]

FOLDER defaults to docs/screenshots/. A temporary database with demo cases is created; nothing in
your own data or settings is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1280, 800
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from a checkout

from app.enums import LANGUAGE_CODES, AssessmentStatus, Language  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", default=Language.EN, choices=LANGUAGE_CODES)
    parser.add_argument("--count", type=int, default=150, help="demo cases in the list")
    args = parser.parse_args(argv)
    out = Path(args.folder)
    out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="likvard-shots-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["LIKVARD_CONFIG"] = str(tmp / "settings.json")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication, QWidget

    from app.bootstrap import start
    from app.services.assessments import AssessmentFilter
    from app.services.demo import create_demo_cases
    from app.settings import Settings
    from ui import tasks
    from ui.main_window import MainWindow
    from ui.style import apply_style

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    tasks.set_synchronous(True)
    settings = Settings(name="Anna Lindqvist", organisation="Kreditgarantiföreningen Väst", branch="Göteborg",
                        language=args.lang)
    suffix = "" if args.lang == Language.EN else f"-{args.lang}"
    saved: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"desktop-{name}{suffix}.png"
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        saved.append(path)

    # 1. first start: the empty state
    empty_services = start(tmp / "empty.sqlite", language=args.lang, settings=settings)
    window = MainWindow(empty_services, restore=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    shot(window, "empty")
    window.close()
    empty_services.db.close()

    services = start(tmp / "demo.sqlite", language=args.lang, settings=settings)
    create_demo_cases(services, args.count, seed=2008)
    window = MainWindow(services, restore=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle()

    # 2. the case list
    shot(window, "case-list")

    # 3. the new case dialog, partly filled in
    from ui.facts_dialog import FactsDialog

    dialog = FactsDialog(services, parent=window)
    dialog.case_reference.setText("GBG-2026-00412")
    dialog.case_date.setDate(QDate(2026, 3, 2))
    dialog.ownership.setCurrentIndex(dialog.ownership.findData("women_led"))
    dialog.sector.setCurrentIndex(dialog.sector.findData("care_and_health"))
    dialog.legal_form.setCurrentIndex(dialog.legal_form.findData("cooperative"))
    dialog.amount_requested.set_value(450000)
    dialog.amount_granted.setText("abc")
    dialog.decision.setCurrentIndex(dialog.decision.findData("partly_granted"))
    dialog.resize(760, 740)  # the offscreen screen is small; a real one gets the dialog's full size
    dialog.show()
    shot(dialog, "new-case")
    dialog.close()

    # 4. the filling view of each bundled checklist, with a flagged answer, its explanation and
    #    guidance (law and sources) open
    for key, name in (("advice_meeting", "filling-advice-meeting"), ("credit_decision", "filling")):
        bundled = services.templates.find_version(key)
        drafts = services.assessments.list(AssessmentFilter(status=AssessmentStatus.DRAFT, template_key=bundled.template_key,
                                                            sort="flag_count"))
        case = next((c for c in drafts if c.flag_count >= 2), drafts[0])
        view = window.open_case(case.id)
        settle()
        flags = view.evaluation.flags()
        if flags:
            widget = view.jump_to(flags[0].item_key)
            if widget is not None and widget.help_button.isVisible():
                widget.help_button.setChecked(True)
            settle()
            view.pages[view.current_section()].ensureWidgetVisible(widget, 20, 60)
        shot(window, name)

    # 5. completion refused: the missing required items, each a link to its item
    view.complete()
    settle()
    shot(window, "missing")

    # 6. settings
    from ui.settings_dialog import SettingsDialog

    settings_dialog = SettingsDialog(services, window)
    settings_dialog.resize(640, settings_dialog.height())
    settings_dialog.show()
    shot(settings_dialog, "settings")
    settings_dialog.close()

    # 7. trainers: the template editor on a draft, an item with its conditions, and the preview
    from ui.templates import CompareDialog, TemplateManager

    draft = services.templates.create_draft(bundled.id)
    content = services.templates.content(draft.id)
    content.sections[0].items[1].label[content.default_language] += " (revised)"
    # a trainer mid-way: a translation still missing (a warning in the validation panel) and a
    # flag rule changed (the compare dialog names the items by their labels)
    flagged = [(si, ii, item) for si, s in enumerate(content.sections) for ii, item in enumerate(s.items)
               if item.flag_when is not None and len(item.flag_explanation) > 1]
    si, ii, revised = flagged[0]
    missing_lang = next(lg for lg in content.languages if lg != content.default_language)
    revised.flag_explanation.pop(missing_lang)
    rule = revised.flag_when
    if isinstance(rule.get("value"), list) and len(rule["value"]) > 1:
        revised.flag_when = {**rule, "value": rule["value"][:-1]}
    services.templates.update_draft(draft.id, content)
    manager = TemplateManager(services)
    manager.resize(1366, 768)  # a laptop screen
    manager.show()
    manager.refresh(draft.id)
    editor = manager.editor
    editor.selected = (si, ii)
    editor.rebuild()
    editor.side.setCurrentIndex(0)
    settle()
    scroll = editor.properties.verticalScrollBar()
    scroll.setValue(scroll.maximum() // 2)
    shot(manager, "template-editor")
    compare = CompareDialog(services, bundled.template_key, manager)
    compare.show()
    shot(compare, "template-compare")
    compare.close()
    manager.close()

    # 8. a signed PDF: the export dialog, then the verification
    keys = tmp / "keys"
    os.environ["LIKVARD_KEYS_DIR"] = str(keys)
    os.environ["LIKVARD_TRUST_DIR"] = str(tmp / "trust")
    from app.pdf.identity import create_identity
    from ui.pdf import ExportPdfDialog, VerifyDialog

    identity = create_identity("Anna Lindqvist", "Kreditgarantiföreningen Väst", "screenshot password")
    done = services.assessments.list(AssessmentFilter(status=AssessmentStatus.COMPLETED, template_key=bundled.template_key))[0]
    export = ExportPdfDialog(services, services.assessments.get(done.id), sign=True, parent=window)
    export.password.setText("screenshot password")
    export.show()
    shot(export, "export-pdf")
    export.close()
    pdf = tmp / "signed.pdf"
    services.summaries.export_pdf(done.id, pdf, lang=args.lang, organisation=settings.organisation,
                                identity=identity, password="screenshot password")
    verify = VerifyDialog(window, str(pdf))
    verify.show()
    verify.verify()
    shot(verify, "verify")
    verify.close()
    window.close()
    services.db.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
