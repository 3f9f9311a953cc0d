#!/usr/bin/env bash
# Lints and tests the training runner in its own venv. Arguments go to pytest
# (e.g. `-m "not slow"` to skip the end-to-end recipe run).
set -euo pipefail

trainer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$("$trainer_dir/scripts/ensure-venv.sh" test | tail -n 1)"

cd "$trainer_dir"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
"$venv/bin/python" -m pytest "$@"
