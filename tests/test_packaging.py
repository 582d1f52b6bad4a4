"""The installable builds, end to end (marker ``packaging``, several minutes; `.ci/run` runs them as a
step of their own: ``python -m pytest -m packaging``).

- the Linux bundle and the .deb from packaging/build.py, the .deb unpacked into a temporary root
  (``dpkg -x``) and run from there with no source tree on the path: ``--version``, ``demo``,
  ``export-pdf --sign``, ``verify`` (also in Swedish), the GUI started offscreen; the desktop entry and
  the AppStream metainfo as installed pass their validators;
- the wheel built from a clean copy of the tracked files, installed into a fresh virtual environment
  outside the source tree, running the same commands with its bundled checklists and translations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.packaging

APP_ID = "se.likvard.Likvard"


def _clean_env(work: Path) -> dict[str, str]:
    """An environment that knows nothing of this checkout: own home, data, config, database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIKVARD_", "PYTHON", "VIRTUAL_ENV", "XDG_"))}
    env.update({"HOME": str(work / "home"), "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "cfg"),
                "XDG_CACHE_HOME": str(work / "cache"), "LIKVARD_DB": str(work / "cases.sqlite"),
                "LIKVARD_LOG_DIR": str(work / "log"), "SIGNING_PASSWORD": "packaging-test-1234",
                "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"})
    (work / "home").mkdir(parents=True, exist_ok=True)
    return env


def _run(command: list[str], work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*command, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result


def smoke(command: list[str], work: Path, *, gui: bool = True) -> None:
    """The user's first steps with an installed Likvärd (``command`` starts it)."""
    work.mkdir(parents=True, exist_ok=True)
    env = _clean_env(work)
    assert "0.1.0" in _run(command, work, env, "--version").stdout
    assert "20" in _run(command, work, env, "demo", "--count", "20").stdout
    cases = json.loads(_run(command, work, env, "assessments", "list", "--json").stdout)
    assert len(cases) == 20
    done = next(c["case_reference"] for c in cases if c["status"] != "draft")
    _run(command, work, env, "keys", "create", "--name", "Anna Lindqvist", "--password-env", "SIGNING_PASSWORD")
    pdf = work / "summary.pdf"
    _run(command, work, env, "export-pdf", done, str(pdf), "--sign", "--password-env", "SIGNING_PASSWORD")
    assert pdf.read_bytes().startswith(b"%PDF")
    verified = _run(command, work, env, "verify", str(pdf)).stdout
    assert "Anna Lindqvist" in verified and "intact" in verified
    swedish = _run(command, work, env, "--lang", "sv", "verify", str(pdf)).stdout
    assert "Undertecknare" in swedish, swedish  # the compiled catalogs are inside
    templates = _run(command, work, env, "templates", "list").stdout
    assert "Equal treatment in credit decisions" in templates  # the bundled checklists are inside
    report = json.loads(_run(command, work, env, "report", "--format", "json").stdout)
    cells = [cell for group in report["groups"] for cell in group["cells"].values()]
    assert any(cell.get("low") is not None for cell in cells)  # a Wilson interval: scipy runs inside
    if gui:
        shown = _run(command, work, {**env, "LIKVARD_EXIT_WHEN_SHOWN": "1"})
        assert "shown: Likvärd True" in shown.stdout, shown.stdout + shown.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--fast", "--dist", str(dist)],
                            cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return dist


def test_the_bundle_holds_only_the_qt_modules_the_app_uses(built):
    pyside = built / "likvard" / "_internal" / "PySide6"
    modules = {p.name.split(".")[0] for p in pyside.glob("Qt*.so")}
    assert modules == {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"}
    assert not list(pyside.glob("Qt/plugins/platformthemes/libqgtk3*"))
    locales = {p.stem for p in (built / "likvard" / "_internal" / "babel" / "locale-data").glob("*.dat")}
    assert {"sv", "fr", "en", "sv_SE", "root"} <= locales and "de" not in locales


def test_the_tarball_holds_the_bundle(built):
    archive = next(built.glob("likvard-0.1.0-linux-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "likvard-0.1.0/likvard" in names
    assert any(n.startswith("likvard-0.1.0/_internal/checklists/") for n in names)


def test_the_deb_installs_and_runs_without_the_source_tree(built, tmp_path):
    deb = next(built.glob("likvard_0.1.0_*.deb"))
    fields = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"], capture_output=True,
                            text=True, check=True).stdout
    assert "Package: likvard" in fields and "libxcb-cursor0" in fields
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    launcher = root / "usr" / "bin" / "likvard"
    assert launcher.is_symlink() and launcher.resolve() == (root / "opt" / "likvard" / "likvard").resolve()
    share = root / "usr" / "share"
    for folder in ("scalable", "48x48", "128x128", "256x256"):
        assert list((share / "icons" / "hicolor" / folder / "apps").glob(f"{APP_ID}.*")), folder
    desktop = share / "applications" / f"{APP_ID}.desktop"
    check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    check = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    smoke([str(launcher)], tmp_path / "work")


def test_the_installed_app_syncs_with_a_team_server(built, tmp_path, pg_server):
    """Team mode from the .deb: its PostgreSQL driver is inside (it was left out once, and ``sync``
    died with "No module named 'psycopg'"): ``server init`` on a fresh database, then a laptop's
    finished demo cases reach the server, and a second sync sends nothing twice."""
    deb = next(built.glob("likvard_0.1.0_*.deb"))
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    launcher = [str(root / "usr" / "bin" / "likvard")]
    work = tmp_path / "team"
    work.mkdir()
    env = _clean_env(work)
    url = pg_server.create_database("likvard_pkg")
    dbname = url.split("@/")[1].split("?")[0]
    assert "Next steps" in _run(launcher, work, env, "server", "init", "--server", url).stdout
    _run(launcher, work, env, "demo", "--count", "12")
    cases = json.loads(_run(launcher, work, env, "assessments", "list", "--json").stdout)
    finished = sum(c["status"] != "draft" for c in cases)  # drafts stay on the laptop
    assert len(cases) == 12 and finished
    first = _run(launcher, work, env, "sync", "--server", url)
    assert "Traceback" not in first.stderr, first.stderr
    assert pg_server.psql("SELECT count(*) FROM assessments", dbname)[0][0] == finished, first.stdout
    again = _run(launcher, work, env, "sync", "--server", url)
    assert "Traceback" not in again.stderr, again.stderr
    assert "Pushed 0 cases" in again.stdout, again.stdout
    assert pg_server.psql("SELECT count(*) FROM assessments", dbname)[0][0] == finished
    assert pg_server.psql("SELECT count(*) - count(DISTINCT id) FROM events", dbname)[0][0] == 0


def test_the_wheel_installs_into_a_fresh_environment_and_runs(tmp_path):
    dist = tmp_path / "dist"
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "wheel", "--dist", str(dist)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheel = next(dist.glob("likvard-0.1.0-*.whl"))
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/_resources/translations/sv/LC_MESSAGES/messages.mo" in names
    assert "app/_resources/checklists/equal-treatment-credit.json" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-c", str(ROOT / "packaging" / "constraints.txt"),
                              str(wheel)], capture_output=True, text=True, timeout=1800, cwd=tmp_path)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    where = subprocess.run([str(python), "-c", "import app; print(app.__file__)"], capture_output=True, text=True,
                           cwd=tmp_path, env=_clean_env(tmp_path / "probe"), check=True).stdout
    assert str(venv) in where and str(ROOT) not in where
    smoke([str(venv / "bin" / "likvard")], tmp_path / "work", gui=False)
