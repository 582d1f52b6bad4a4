#!/usr/bin/env bash
# Build a desktop bundle with PyInstaller: dist/likvard/likvard
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q pyinstaller
python - <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
from i18n import compile_catalogs
for path in compile_catalogs(Path("build/resources/translations")):
    print("compiled", path)
PY
python -m PyInstaller --noconfirm packaging/likvard.spec
