"""nginx in front of vLLM: its configuration and the keys it accepts (nginx.conf says why).

    python -m tlb_lora_resolver.proxy config --listen 0.0.0.0:8000 --upstream 127.0.0.1:8001 \\
        --keys-file /etc/tech-lead-bot/proxy-keys.json --state-dir DIR
    python -m tlb_lora_resolver.proxy add-key acme/widgets --keys-file /etc/tech-lead-bot/proxy-keys.json

``config`` writes ``DIR/nginx.conf`` and prints its path; ``add-key`` makes a key
for one repository, stores only its SHA-256 in the keys file and prints the key
once (it goes into that repository's ``TECH_LEAD_BOT_MODEL_API_KEY`` secret).
nginx reads the keys file at start and on reload (``kill -HUP`` its master).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from importlib import resources
from pathlib import Path

from tlb_lora_resolver.adapter_name import is_login, is_repo_name

# Debian's libnginx-mod-http-js, then nginx.org's nginx-module-njs.
NJS_MODULE_CANDIDATES = (
    Path("/usr/lib/nginx/modules/ngx_http_js_module.so"),
    Path("/etc/nginx/modules/ngx_http_js_module.so"),
    Path("/usr/lib64/nginx/modules/ngx_http_js_module.so"),
)

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


class ProxyError(ValueError):
    """A proxy setting or a keys file line the proxy cannot work with."""


def find_njs_module() -> Path:
    for candidate in NJS_MODULE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise ProxyError(
        "nginx's JavaScript module (njs) is not installed: `apt-get install nginx-light libnginx-mod-http-js`"
        " on Debian or Ubuntu, or nginx.org's nginx-module-njs; or set TLB_NJS_MODULE to its .so file."
    )


def render_config(
    listen: str,
    upstream: str,
    keys_file: Path,
    state_dir: Path,
    access_log: str = "/dev/stderr",
    njs_module: Path | None = None,
) -> Path:
    """Writes ``state_dir/nginx.conf``; returns its path."""
    read_keys(keys_file)  # nginx would only say "failed to load"
    state_dir = state_dir.resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    package = resources.files(__package__)
    values = {
        "listen": listen,
        "keys_file": str(keys_file.resolve()),
        "upstream": upstream,
        "state_dir": str(state_dir),
        "access_log": access_log,
        "njs_module": str(njs_module or find_njs_module()),
        "auth_js": str(package / "auth.js"),
    }
    text = _PLACEHOLDER.sub(lambda match: values[match.group(1)], (package / "nginx.conf").read_text())
    path = state_dir / "nginx.conf"
    path.write_text(text)
    return path


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_repository(repository: str) -> str:
    """``owner/repo`` as adapter names spell it (lowercase), or ProxyError."""
    if not _is_repository(repository.lower()):
        raise ProxyError(f"Invalid repository '{repository}'. Expected owner/repo, e.g. acme/widgets.")
    return repository.lower()


def read_keys(keys_file: Path) -> dict[str, str]:
    """The keys file: the SHA-256 (hex) of each key -> the ``owner/repo`` it may use."""
    try:
        keys = json.loads(keys_file.read_text())
    except FileNotFoundError:
        raise ProxyError(
            f"No keys file at {keys_file}: make a key per repository with"
            f" `python -m tlb_lora_resolver.proxy add-key owner/repo --keys-file {keys_file}`."
        ) from None
    except (OSError, ValueError) as error:
        raise ProxyError(f"Cannot read the keys file {keys_file}: {error}") from None
    if not isinstance(keys, dict) or not all(
        re.fullmatch(r"[0-9a-f]{64}", digest) and isinstance(repository, str) and _is_repository(repository)
        for digest, repository in keys.items()
    ):
        raise ProxyError(f"Invalid keys file {keys_file}. Expected a JSON object from SHA-256 hex to owner/repo.")
    return keys


def _is_repository(text: str) -> bool:
    owner, _, repo = text.partition("/")
    return is_login(owner) and is_repo_name(repo)


def add_key(keys_file: Path, repository: str) -> str:
    """Adds a new key for ``repository`` to ``keys_file`` (made if missing); returns the key."""
    repository = parse_repository(repository)
    keys = read_keys(keys_file) if keys_file.exists() else {}
    key = "tlb-" + secrets.token_urlsafe(32)
    keys[key_digest(key)] = repository
    keys_file.parent.mkdir(parents=True, exist_ok=True)
    # Hashes only, but who may use the server is nobody else's business.
    partial = keys_file.with_name(keys_file.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(json.dumps(keys, indent=2, sort_keys=True) + "\n")
    partial.replace(keys_file)
    return key
