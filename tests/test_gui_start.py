"""The README's run command opens the main window (offscreen)."""

from __future__ import annotations

from tests.conftest import run_cli


def test_main_py_opens_the_main_window(tmp_path):
    result = run_cli(env={"LIKVARD_EXIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen",
                          "LIKVARD_DB": str(tmp_path / "gui.sqlite")})
    assert result.returncode == 0, result.stderr
    assert "shown: Likvärd" in result.stdout and "True" in result.stdout
    assert (tmp_path / "gui.sqlite").exists()
