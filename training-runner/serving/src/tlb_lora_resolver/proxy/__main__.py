from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tlb_lora_resolver.proxy import ProxyError, add_key, render_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tlb_lora_resolver.proxy", description="nginx in front of vLLM: its config and its keys."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    config = commands.add_parser("config", help="write nginx.conf into --state-dir and print its path")
    config.add_argument("--listen", required=True, help="address:port clients connect to")
    config.add_argument("--upstream", required=True, help="vLLM's loopback address:port")
    config.add_argument("--keys-file", type=Path, required=True, help="the keys add-key wrote")
    config.add_argument("--state-dir", type=Path, required=True, help="nginx's config, pid and temp files")
    config.add_argument("--access-log", default="/dev/stderr", help="file for the access log (default: stderr)")
    key = commands.add_parser("add-key", help="make a key for one repository and print it")
    key.add_argument("repository", help="owner/repo")
    key.add_argument("--keys-file", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "config":
            njs = os.environ.get("TLB_NJS_MODULE")
            print(
                render_config(
                    args.listen, args.upstream, args.keys_file, args.state_dir, args.access_log, njs and Path(njs)
                )
            )
        else:
            print(add_key(args.keys_file, args.repository))
    except ProxyError as error:
        print(f"tlb_lora_resolver.proxy: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
