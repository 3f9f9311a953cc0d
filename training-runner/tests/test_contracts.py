"""The trainer against the specifications it shares with the TypeScript action (contracts/):
the same golden files that test/unit/contracts.test.ts checks."""

import copy
import json
from pathlib import Path

import pytest

from tech_lead_trainer.manifest import adapter_record, drop_pending, promote
from tech_lead_trainer.report import metrics_table
from tech_lead_trainer.status_comment import StatusDocument, StatusLine, append, parse, render

CONTRACTS = Path(__file__).parents[2] / "contracts"
STATUS = CONTRACTS / "status-comment"
STATUS_CASES = json.loads((STATUS / "cases.json").read_text())
MANIFEST = CONTRACTS / "manifest"


def golden_body(name: str) -> str:
    return (STATUS / name).read_text().removesuffix("\n")  # the files end with a newline, bodies do not


def as_json(document: StatusDocument | None) -> dict | None:
    if document is None:
        return None
    return {
        "reviewer": document.reviewer,
        "lines": [{"state": line.state, "text": line.text} for line in document.lines],
        "blocks": list(document.blocks),
        "runUrl": document.run_url,
    }


def from_json(document: dict) -> StatusDocument:
    lines = tuple(StatusLine(line["state"], line["text"]) for line in document["lines"])
    return StatusDocument(document["reviewer"], document["runUrl"], lines, tuple(document["blocks"]))


def test_there_are_golden_status_comments() -> None:
    assert len(STATUS_CASES["documents"]) >= 3
    assert len(STATUS_CASES["appends"]) >= 3


@pytest.mark.parametrize("name", sorted(STATUS_CASES["documents"]))
def test_a_golden_body_reads_as_its_document_and_renders_back(name: str) -> None:
    expected = STATUS_CASES["documents"][name]

    assert as_json(parse(golden_body(name))) == expected
    if expected is not None:
        assert render(from_json(expected)) == golden_body(name)


@pytest.mark.parametrize("case", STATUS_CASES["appends"], ids=lambda case: case["name"])
def test_a_step_appends_to_the_golden_body(case: dict) -> None:
    lines = [StatusLine(line["state"], line["text"]) for line in case["lines"]]

    document = append(parse(golden_body(case["before"])), case["reviewer"], case["runUrl"], lines, case["blocks"])

    assert render(document) == golden_body(case["after"])


def test_promotion_gives_the_golden_manifest() -> None:
    case = json.loads((MANIFEST / "cases.json").read_text())["promote"]
    before = json.loads((MANIFEST / case["before"]).read_text())
    after = json.loads((MANIFEST / case["after"]).read_text())
    unchanged = copy.deepcopy(before)

    promoted = promote(before, adapter_record(before["pending"], case["createdAt"], case["metrics"], case["baselines"]))

    # updatedAt is the store's to set when it writes (reviewer_store.update_manifest).
    assert {**promoted, "updatedAt": after["updatedAt"]} == after
    assert before == unchanged


def test_the_metrics_table_shows_the_promoted_adapter_beside_its_baselines() -> None:
    """The train job's table in trained.md is the one the trainer renders from the manifest case's numbers."""
    case = json.loads((MANIFEST / "cases.json").read_text())["promote"]
    trained = next(a for a in STATUS_CASES["appends"] if a["after"] == "trained.md")

    table = metrics_table({"adapter": case["metrics"], **case["baselines"]})

    assert trained["blocks"] == [table + "\n"]


def test_promotion_passes_the_reviews_and_the_acceptance_through() -> None:
    """The review step's ``reviews`` and an adapter's ``acceptance`` are the action's: the trainer keeps them."""
    case = json.loads((MANIFEST / "cases.json").read_text())["promote"]
    before = json.loads((MANIFEST / case["before"]).read_text())
    assert before["reviews"]
    assert before["current"]["acceptance"]

    promoted = promote(before, adapter_record(before["pending"], case["createdAt"], case["metrics"], case["baselines"]))

    assert promoted["reviews"] == before["reviews"]
    assert promoted["previous"][0]["acceptance"] == before["current"]["acceptance"]
    assert "acceptance" not in promoted["current"]
    assert drop_pending(before, before["pending"]["adapterId"])["reviews"] == before["reviews"]
