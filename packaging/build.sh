#!/usr/bin/env bash
# Kept for habit: packaging/build.py is the build script (bundle, tar.gz, .deb; --help for more).
set -euo pipefail
exec python "$(dirname "$0")/build.py" "$@"
