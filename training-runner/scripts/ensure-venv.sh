#!/usr/bin/env bash
# Creates, or reuses, the trainer's virtualenv and prints its path as the last
# line of stdout (everything else goes to stderr).
#
#   venv="$(training-runner/scripts/ensure-venv.sh [EXTRA...] | tail -n 1)"
#
# EXTRA names optional-dependency groups of pyproject.toml (tests pass `test`).
# The venv lives at ${TLB_VENV_DIR:-~/.cache/tech-lead-bot/venvs}/trainer-<key>,
# where <key> hashes pyproject.toml, constraints.txt, the Python version and
# the extras: a change to any of them makes a new venv, and an unchanged one is
# reused once scripts/verify_venv.py finds it unchanged since it was built. A venv
# counts as complete only once its marker file exists, which is written last, so an
# interrupted install is redone.
#
# Environment:
#   TLB_VENV_DIR  where venvs are kept (a persistent disk on a self-hosted runner)
#   TLB_PYTHON    the interpreter to build on (default: python3; must be 3.11)
set -euo pipefail

trainer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${TLB_PYTHON:-python3}"
venvs_dir="${TLB_VENV_DIR:-$HOME/.cache/tech-lead-bot/venvs}"
extras="$(IFS=,; echo "$*")"

py_version="$("$python" -c 'import platform, sys; print(sys.version.split()[0], platform.machine())')"
case "$py_version" in
  3.11.*) ;;
  *)
    echo "ensure-venv: $python is Python $py_version; the trainer needs Python 3.11 (set TLB_PYTHON)." >&2
    exit 1
    ;;
esac

key="$(
  {
    cat "$trainer_dir/pyproject.toml" "$trainer_dir/constraints.txt"
    echo "python=$py_version extras=$extras"
  } | sha256sum | cut -c1-16
)"
venv="$venvs_dir/trainer-$key"
marker="$venv/.tlb-complete"

mkdir -p "$venvs_dir"
# One installer at a time per venv: parallel jobs on one runner wait here.
exec 9>"$venv.lock"
flock 9

# A venv outlives the job that built it: check it against the pins and RECORD hashes
# before this job trusts it, and build it again when anything differs (verify_venv.py).
if [[ -f "$marker" ]] && ! "$python" -I "$trainer_dir/scripts/verify_venv.py" "$venv" "$trainer_dir/constraints.txt"; then
  echo "::warning title=Trainer venv changed::$venv differs from what was installed into it; building it again." >&2
  rm -f "$marker"
fi

if [[ ! -f "$marker" ]]; then
  echo "ensure-venv: creating $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # torch first, from the exact pin, so that no later resolution can pick
  # another build of it (an unpinned torch pulls a multi-GB CUDA wheel).
  torch_pin="$(grep -E '^torch==' "$trainer_dir/constraints.txt")"
  "$venv/bin/python" -m pip install --quiet "$torch_pin" >&2
  "$venv/bin/python" -m pip install --quiet \
    --constraint "$trainer_dir/constraints.txt" \
    --editable "$trainer_dir${extras:+[$extras]}" >&2
  echo "$trainer_dir" >"$venv/.tlb-source"
  touch "$marker"
elif [[ "$(cat "$venv/.tlb-source")" != "$trainer_dir" ]]; then
  # Same dependencies, another checkout (CI clones elsewhere): point the
  # editable install at this one.
  echo "ensure-venv: pointing $venv at $trainer_dir" >&2
  "$venv/bin/python" -m pip install --quiet --no-deps --editable "$trainer_dir" >&2
  echo "$trainer_dir" >"$venv/.tlb-source"
fi

echo "$venv"
