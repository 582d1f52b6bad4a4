"""The main window's menu bar and toolbar, over the actions it made (MainWindow._build_actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QToolBar

    from ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """The menu bar: File, Edit, View, Tools, Help."""
    bar = window.menuBar()
    file_menu = bar.addMenu(_("&File"))
    file_menu.addAction(window.act_new)
    file_menu.addAction(window.act_demo)
    file_menu.addSeparator()
    file_menu.addAction(window.act_export_pdf)
    file_menu.addAction(window.act_sign_pdf)
    file_menu.addAction(window.act_print)
    file_menu.addSeparator()
    file_menu.addAction(window.act_verify)
    file_menu.addAction(window.act_import_pdf)
    file_menu.addSeparator()
    file_menu.addAction(window.act_backup)
    file_menu.addAction(window.act_restore)
    file_menu.addSeparator()
    file_menu.addAction(window.act_sync)
    file_menu.addSeparator()
    file_menu.addAction(window.act_settings)
    file_menu.addSeparator()
    file_menu.addAction(window.act_quit)
    edit_menu = bar.addMenu(_("&Edit"))
    edit_menu.addAction(window.act_find)
    edit_menu.addAction(window.act_facts)
    edit_menu.addAction(window.act_signature)
    edit_menu.addSeparator()
    edit_menu.addAction(window.act_complete)
    edit_menu.addAction(window.act_amend)
    view_menu = bar.addMenu(_("&View"))
    view_menu.addAction(window.act_list)
    view_menu.addAction(window.act_insights)
    view_menu.addSeparator()
    view_menu.addAction(window.act_next)
    view_menu.addAction(window.act_previous)
    view_menu.addAction(window.act_flags)
    tools_menu = bar.addMenu(_("&Tools"))
    tools_menu.addAction(window.act_templates)
    tools_menu.addAction(window.act_training)
    tools_menu.addSeparator()
    tools_menu.addAction(window.act_audit)
    tools_menu.addAction(window.act_case_audit)
    help_menu = bar.addMenu(_("&Help"))
    help_menu.addAction(window.act_help)
    help_menu.addSeparator()
    help_menu.addAction(window.act_about)


def build_toolbar(window: MainWindow) -> QToolBar:
    """The toolbar: the actions used most, as text buttons."""
    toolbar = window.addToolBar(_("Main toolbar"))
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    # the actions have no icons: the buttons show their text
    for action in (window.act_list, window.act_new, None, window.act_facts, window.act_complete, None,
                   window.act_insights, window.act_settings):
        if action is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(action)
    return toolbar
