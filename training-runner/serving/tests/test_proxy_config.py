"""The proxy's configuration and keys file, checked by nginx itself (`nginx -t`) without a server."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tlb_lora_resolver.proxy import ProxyError, add_key, key_digest, read_keys, render_config


def test_add_key_stores_only_the_hash_for_one_repository(tmp_path: Path) -> None:
    keys_file = tmp_path / "etc" / "keys.json"
    first = add_key(keys_file, "Acme/Widgets")
    second = add_key(keys_file, "other/private")
    assert first != second
    assert len(first) > 40
    text = keys_file.read_text()
    assert first not in text
    assert second not in text
    assert json.loads(text) == {key_digest(first): "acme/widgets", key_digest(second): "other/private"}
    assert keys_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("repository", ["acme", "acme/", "/widgets", "acme/widgets/x", "ac--me/w", "acme/..", "a b/c"])
def test_add_key_refuses_what_is_not_a_repository(tmp_path: Path, repository: str) -> None:
    with pytest.raises(ProxyError, match="Expected owner/repo"):
        add_key(tmp_path / "keys.json", repository)
    assert not (tmp_path / "keys.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "add-key owner/repo"),
        ("not json", "Cannot read"),
        ('["a"]', "Expected a JSON object"),
        ('{"abc": "acme/widgets"}', "Expected a JSON object"),
        ('{"' + "0" * 64 + '": "Acme/Widgets"}', "Expected a JSON object"),
    ],
)
def test_a_bad_keys_file_is_named(tmp_path: Path, content: str | None, message: str) -> None:
    keys_file = tmp_path / "keys.json"
    if content is not None:
        keys_file.write_text(content)
    with pytest.raises(ProxyError, match=message):
        read_keys(keys_file)


def test_the_config_is_one_nginx_accepts(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    add_key(keys_file, "acme/widgets")
    config = render_config("127.0.0.1:18000", "127.0.0.1:18001", keys_file, tmp_path / "state")
    text = config.read_text()
    assert not re.search(r"\{\{\w+\}\}", text)
    assert f"js_preload_object tlb_keys from {keys_file.resolve()};" in text
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_only_three_routes_lead_to_vllm(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    add_key(keys_file, "acme/widgets")
    text = render_config("127.0.0.1:18000", "127.0.0.1:18001", keys_file, tmp_path / "state").read_text()
    locations = [line.split()[1:-1] for line in text.splitlines() if line.strip().startswith("location")]
    assert locations == [["=", "/health"], ["=", "/v1/chat/completions"], ["=", "/v1/models"], ["/_vllm/"], ["/"]]
    assert text.count("proxy_pass") == 2  # /health, and the internal location for the keyed routes
