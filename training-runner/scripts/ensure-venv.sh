#!/usr/bin/env bash
# Creates, or reuses, the trainer's virtualenv and prints its path as the last
# line of stdout (everything else goes to stderr).
#
#   venv="$(training-runner/scripts/ensure-venv.sh [EXTRA...] | tail -n 1)"
#   training-runner/scripts/ensure-venv.sh --inspect [EXTRA...]
#
# EXTRA names optional-dependency groups of pyproject.toml (tests pass `test`).
# --inspect builds nothing: it prints `venv=<path>` and `digest=<hex>`, the digest being
# empty unless the venv is complete and passes scripts/verify_venv.py.
# The venv lives at ${TLB_VENV_DIR:-~/.cache/tech-lead-bot/venvs}/trainer-<key>,
# where <key> hashes pyproject.toml, constraints.txt, the Python version and
# the extras: a change to any of them makes a new venv, and an unchanged one is
# reused once scripts/verify_venv.py finds it unchanged since it was built. A venv
# counts as complete only once its marker file exists, which is written last, so an
# interrupted install is redone.
#
# Environment:
#   TLB_VENV_DIR          where venvs are kept (a persistent disk on a self-hosted runner)
#   TLB_PYTHON            the interpreter to build on (default: python3; must be 3.11)
#   TLB_VENV_RECORDED     `false`: the venv's digest was not found where only trusted runs
#                         record it (action.yml), so an existing venv is built again even
#                         though it passes verify_venv.py; unset or `true`: it is reused
#   TLB_VENV_DIGEST_FILE  where to write the digest of the venv this run ends up with
set -euo pipefail

trainer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${TLB_PYTHON:-python3}"
venvs_dir="${TLB_VENV_DIR:-$HOME/.cache/tech-lead-bot/venvs}"
inspect=false
if [[ "${1:-}" == "--inspect" ]]; then
  inspect=true
  shift
fi
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

verify() {
  "$python" -I "$trainer_dir/scripts/verify_venv.py" "$venv" "$trainer_dir/constraints.txt" "$@"
}

if [[ "$inspect" == true ]]; then
  digest=""
  if [[ -f "$marker" ]]; then
    digest="$(verify --digest)" || digest=""
  fi
  echo "venv=$venv"
  echo "digest=$digest"
  exit 0
fi

# A venv outlives the job that built it: check it against the pins and RECORD hashes
# before this job trusts it, and build it again when anything differs (verify_venv.py).
# The same pass gives the digest of a venv that is kept as it is.
digest=""
if [[ -f "$marker" ]] && ! digest="$(verify --digest)"; then
  echo "::warning title=Trainer venv changed::$venv differs from what was installed into it; building it again." >&2
  rm -f "$marker"
  digest=""
fi
# A job that rewrote files and their RECORDs alike passes that check: only a venv whose digest
# a trusted run recorded is reused (TLB_VENV_RECORDED, from action.yml's lookup).
if [[ -f "$marker" && "${TLB_VENV_RECORDED:-}" == "false" ]]; then
  echo "::warning title=Trainer venv not recorded::No run of the default branch recorded $venv as it is now; building it again." >&2
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
  digest=""
elif [[ "$(cat "$venv/.tlb-source")" != "$trainer_dir" ]]; then
  # Same dependencies, another checkout (CI clones elsewhere): point the
  # editable install at this one.
  echo "ensure-venv: pointing $venv at $trainer_dir" >&2
  "$venv/bin/python" -m pip install --quiet --no-deps --editable "$trainer_dir" >&2
  echo "$trainer_dir" >"$venv/.tlb-source"
  digest=""
fi

if [[ -n "${TLB_VENV_DIGEST_FILE:-}" ]]; then
  # Hashed again only when this run built or changed the venv.
  [[ -n "$digest" ]] || digest="$(verify --digest)"
  echo "$digest" >"$TLB_VENV_DIGEST_FILE"
fi
echo "$venv"
