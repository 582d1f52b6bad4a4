"""Start-up benchmark as whole processes under a real X server (Xvfb), in one run:

- **bare**: a bare PySide6 ``QMainWindow`` started the same way, until it is shown;
- **shown**: Likvärd over a database of 10 000 cases, until its main window is shown;
- **ready**: the same process, until the case list shows its first rows.

Each figure is the time from spawning the process to the line it prints (median of the rounds,
after one warm-up run each). Run it from a checkout::

    python tests/bench/startup.py                       # python main.py from this checkout
    python tests/bench/startup.py --exe dist/likvard/likvard   # a frozen bundle (or /usr/bin/likvard)

``LIKVARD_EXIT_WHEN_SHOWN=1`` makes the app print ``shown:`` and ``ready:`` and quit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1180, 760)
    window.show()
    QTimer.singleShot(0, lambda: (print("shown: bare", window.isVisible(), flush=True), app.quit()))
    app.exec()
""")


def make_database(path: Path, count: int = 10_000) -> Path:
    """A database of ``count`` cases (inserted in one statement: the benchmark is about opening it)."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import insert

    from app.bootstrap import start
    from app.enums import AssessmentStatus
    from app.storage.models import AssessmentRow

    services = start(path, language="en")
    version = services.templates.published_versions()[0]
    now = datetime.now(UTC)
    rows = [
        {"id": uuid.uuid4(), "template_version_id": version.id,
         "status": str(AssessmentStatus.DRAFT if n % 4 else AssessmentStatus.COMPLETED),
         "case_reference": f"GBG-2026-{n:05d}", "case_date": date(2026, 1, 1) + timedelta(days=n % 300),
         "advisor": "Anna Lindqvist", "branch": "Göteborg", "ownership": "women_led", "sector": "retail",
         "currency": "SEK", "flag_count": n % 3, "score": 0.8, "created_at": now, "updated_at": now}
        for n in range(count)
    ]
    with services.db.engine.begin() as conn:
        conn.execute(insert(AssessmentRow.__table__), rows)
    assert services.assessments.count() == count
    services.db.close()
    return path


def compile_stale_catalogs() -> None:
    """Measure the app as built: compiled .mo catalogs (a checkout with a newer .po compiles it
    in memory at every start, ~0.15 s). The .mo files are build products, ignored by git."""
    stale = [po for po in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po")
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"], check=True, cwd=ROOT,
                       capture_output=True)


def as_installed(env: dict[str, str]) -> dict[str, str]:
    """The environment of a start as installed: byte-compiled modules. Without this a
    ``PYTHONDONTWRITEBYTECODE`` in the shell makes every start compile the app's ~30 modules from
    source (~50 ms) while the bare window, all in site-packages, is compiled already; the warm-up
    run writes the .pyc files (ignored by git), as pip and the bundle ship them."""
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_markers(args: list[str], markers: list[str], env: dict[str, str], timeout: float = 60) -> dict[str, float]:
    """Seconds from spawning ``args`` to each line starting with one of ``markers``; then the process is ended."""
    found: dict[str, float] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                            cwd=env.get("LIKVARD_BENCH_CWD", str(ROOT)))
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            for marker in markers:
                if line.startswith(marker) and marker not in found:
                    found[marker] = time.perf_counter() - started
            if len(found) == len(markers) or time.perf_counter() - started > timeout:
                break
    finally:
        proc.kill()
        proc.wait()
    missing = [m for m in markers if m not in found]
    if missing:
        raise RuntimeError(f"{' '.join(args)}: never printed {missing}")
    return found


class Xvfb:
    """A private X server for the benchmark (``DISPLAY`` of the started processes)."""

    def __enter__(self) -> str:
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten",
                                      "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        return f":{number}"

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def run(app_args: list[str], database: Path, rounds: int = 7, display: str | None = None,
        work: Path | None = None) -> dict[str, float]:
    """Median seconds: ``bare``, ``shown`` and ``ready`` (alternating bare and app runs)."""
    work = work or Path(tempfile.mkdtemp(prefix="likvard-bench-"))
    env = as_installed({k: v for k, v in os.environ.items() if k not in ("LIKVARD_CONFIG", "QT_QPA_PLATFORM")})
    env.update({"LIKVARD_EXIT_WHEN_SHOWN": "1", "LIKVARD_DB": str(database), "XDG_CONFIG_HOME": str(work / "cfg"),
                "XDG_DATA_HOME": str(work / "data"), "LIKVARD_LOG_DIR": str(work / "log")})
    if display:
        env["DISPLAY"] = display
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    bare_args = [sys.executable, "-c", BARE]
    time_markers(bare_args, ["shown:"], env)  # warm-up: the disk cache and .pyc files
    time_markers(app_args, ["shown:", "ready:"], env)
    bare, shown, ready = [], [], []
    for _ in range(rounds):
        bare.append(time_markers(bare_args, ["shown:"], env)["shown:"])
        found = time_markers(app_args, ["shown:", "ready:"], env)
        shown.append(found["shown:"])
        ready.append(found["ready:"])
    return {"bare": statistics.median(bare), "shown": statistics.median(shown), "ready": statistics.median(ready)}


def report(figures: dict[str, float]) -> str:
    bare = figures["bare"]
    return (f"bare window {bare:.3f} s | window shown {figures['shown']:.3f} s ({figures['shown'] / bare:.2f}x)"
            f" | list of 10 000 filled {figures['ready']:.3f} s ({figures['ready'] / bare:.2f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", help="a frozen likvard executable (default: python main.py from this checkout)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--offscreen", action="store_true", help="no X server (QT_QPA_PLATFORM=offscreen)")
    args = parser.parse_args(argv)
    if not args.exe:
        compile_stale_catalogs()
    with tempfile.TemporaryDirectory(prefix="likvard-bench-") as tmp:
        work = Path(tmp)
        database = make_database(work / "likvard.sqlite")
        app_args = [args.exe] if args.exe else [sys.executable, str(ROOT / "main.py")]
        if args.offscreen:
            figures = run(app_args, database, args.rounds, None, work)
        else:
            with Xvfb() as display:
                figures = run(app_args, database, args.rounds, display, work)
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
