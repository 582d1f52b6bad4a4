"""Several programs starting on the same new database at once (issue 13, item 4): all succeed."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_five_processes_create_the_same_new_database_at_once(tmp_path):
    for attempt in range(3):
        db = tmp_path / f"new-{attempt}.sqlite"
        env = {**os.environ, "LIKVARD_DB": str(db)}
        procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "templates", "list"], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _n in range(5)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        failed = [(code, err) for code, _out, err in results if code != 0]
        assert not failed, f"attempt {attempt}: {failed}"
        outputs = {out for _code, out, _err in results}
        assert len(outputs) == 1, outputs  # every process sees the same, complete set of checklists
