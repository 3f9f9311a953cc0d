import pytest

from tlb_lora_resolver.adapter_name import AdapterName, parse_adapter_name

ID = "0123456789abcdef"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (f"tlb/acme/widgets/alice/{ID}", AdapterName("acme", "widgets", "alice", ID)),
        (f"tlb/a/b/c/{ID}", AdapterName("a", "b", "c", ID)),
        (f"tlb/my-org/my.repo_v2-x/bob-smith/{ID}", AdapterName("my-org", "my.repo_v2-x", "bob-smith", ID)),
        (f"tlb/{'o' * 39}/{'r' * 100}/{'x' * 39}/{ID}", AdapterName("o" * 39, "r" * 100, "x" * 39, ID)),
        (f"tlb/acme/.github/alice/{ID}", AdapterName("acme", ".github", "alice", ID)),
        (f"tlb/acme/.../alice/{ID}", AdapterName("acme", "...", "alice", ID)),
        (f"tlb/0/1/2/{ID}", AdapterName("0", "1", "2", ID)),
    ],
)
def test_accepts_exact_names(name: str, expected: AdapterName) -> None:
    assert parse_adapter_name(name) == expected
    assert str(expected) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "tlb",
        "tlb/",
        "base",
        "tiny-base",
        # path traversal, in every segment and encoding
        "tlb/../x",
        "tlb/a/b/c/../../..",
        f"tlb/../widgets/alice/{ID}",
        f"tlb/acme/../alice/{ID}",
        f"tlb/acme/./alice/{ID}",
        f"tlb/acme/widgets/../{ID}",
        f"tlb/acme/widgets/alice/../{ID}",
        f"tlb/acme/%2e%2e/alice/{ID}",
        f"tlb/acme/widgets%2falice/x/{ID}",
        f"tlb%2Facme/widgets/alice/x/{ID}",
        f"tlb/acme/widgets/alice/{ID}%00",
        f"tlb/acme\\..\\x/widgets/alice/{ID}",
        # wrong segment count or empty segments
        f"tlb/acme/widgets/{ID}",
        f"tlb/acme/widgets/alice/{ID}/",
        f"tlb/acme/widgets/alice/{ID}/extra",
        f"/tlb/acme/widgets/alice/{ID}",
        f"tlb//widgets/alice/{ID}",
        f"tlb/acme//alice/{ID}",
        f"tlb/acme/widgets//{ID}",
        f"tlb/acme/widgets/alice/adapters/{ID}",
        # another prefix
        f"TLB/acme/widgets/alice/{ID}",
        f"xtlb/acme/widgets/alice/{ID}",
        f"s3://bucket/acme/widgets/alice/{ID}",
        # uppercase anywhere
        f"tlb/Acme/widgets/alice/{ID}",
        f"tlb/acme/Widgets/alice/{ID}",
        f"tlb/acme/widgets/Alice/{ID}",
        f"tlb/acme/widgets/alice/{ID.upper()}",
        # logins GitHub would not allow
        f"tlb/-acme/widgets/alice/{ID}",
        f"tlb/acme-/widgets/alice/{ID}",
        f"tlb/ac--me/widgets/alice/{ID}",
        f"tlb/{'o' * 40}/widgets/alice/{ID}",
        f"tlb/acme/widgets/al.ice/{ID}",
        f"tlb/acme/widgets/al_ice/{ID}",
        f"tlb/acme/widgets/alice[bot]/{ID}",
        # repo names GitHub would not allow
        f"tlb/acme/{'r' * 101}/alice/{ID}",
        f"tlb/acme/wid gets/alice/{ID}",
        f"tlb/acme/wid~gets/alice/{ID}",
        # adapter ids that are not 16 lowercase hex digits
        "tlb/acme/widgets/alice/0123456789abcde",
        "tlb/acme/widgets/alice/0123456789abcdef0",
        "tlb/acme/widgets/alice/0123456789abcdeg",
        "tlb/acme/widgets/alice/latest",
        # whitespace, control and non-ASCII characters
        f" tlb/acme/widgets/alice/{ID}",
        f"tlb/acme/widgets/alice/{ID}\n",
        f"tlb/acme/widgets/alice/{ID} ",
        f"tlb/acme/wid\tgets/alice/{ID}",
        f"tlb/acmé/widgets/alice/{ID}",
        # digits of other scripts (fullwidth, Arabic-Indic)
        f"tlb/acme/widgets/alice/{chr(0xFF10) * 16}",
        f"tlb/acme/widgets/alice/{chr(0x0660) * 16}",
    ],
)
def test_refuses_everything_else(name: str) -> None:
    assert parse_adapter_name(name) is None
