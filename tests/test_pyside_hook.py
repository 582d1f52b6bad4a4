"""ui.pyside_hook: PySide6's per-import question "does this module use PySide6?" answered from the
file's bytes, with the very answers PySide6's own source scan gives (issue 15, start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types

from tests.conftest import ROOT


def test_the_byte_scan_answers_as_pyside6_does(tmp_path):
    from ui import pyside_hook

    assert pyside_hook.install()
    assert pyside_hook.install()  # twice: still one wrapper, no wrapper of a wrapper
    feature = sys.modules["shibokensupport.feature"]
    fast = feature._mod_uses_pyside
    upstream = fast.__closure__[0].cell_contents  # PySide6's own function, kept as the fallback
    assert getattr(fast, "_likvard_fast", False) and not getattr(upstream, "_likvard_fast", False)
    import app.services.listing  # noqa: F401 (imported to be asked about)
    import ui.case_list
    import ui.main_window  # noqa: F401

    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    answers = {m.__name__: fast(m) for m in modules}
    assert answers == {m.__name__: bool(upstream(m)) for m in modules}
    assert answers["ui.case_list"] and answers["ui.main_window"] and not answers["app.services.listing"]
    # a module whose file is gone, one with no file, one in another encoding
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "gone.py")
    assert fast(gone) is False and fast(types.ModuleType("nofile")) is False
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\nimport PySide6\n")
    module = types.ModuleType("latin")
    module.__file__ = str(latin)
    assert fast(module) is True and bool(upstream(module)) is True


def test_the_app_start_asks_through_it(tmp_path):
    """The real start-up: the byte scan is in place before PySide6 loads, and PySide6's record
    of the modules imported after it holds the answers its own scan gives."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import ui.main_window as mw
        loaded = mw.MainWindow._list_loaded
        def noted(self, *args):
            feature = sys.modules["shibokensupport.feature"]
            record = feature.pyside_feature_dict
            print("hook:", getattr(feature._mod_uses_pyside, "_likvard_fast", False),
                  record.get("ui.case_list"), record.get("app.services.listing"), flush=True)
            return loaded(self, *args)
        mw.MainWindow._list_loaded = noted
        from ui.app import run_gui
        sys.exit(run_gui({str(tmp_path / "new.sqlite")!r}, language="en"))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIKVARD_EXIT_WHEN_SHOWN": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "LIKVARD_LOG_DIR": str(tmp_path / "log")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "hook: True 0 -1" in result.stdout, result.stdout + result.stderr
