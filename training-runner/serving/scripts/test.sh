#!/usr/bin/env bash
# Lints and tests the serving plugin in its own venv. Arguments go to pytest
# (e.g. `-m "not slow"` to skip the test that starts a vLLM server).
set -euo pipefail

serving_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$("$serving_dir/scripts/ensure-venv.sh" | tail -n 1)"
# The proxy tests start nginx in front of vLLM.
"$serving_dir/scripts/ensure-nginx.sh"

cd "$serving_dir"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
"$venv/bin/python" -m pytest "$@"
