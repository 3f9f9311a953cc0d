"""ChatML on SmolLM2's real tokenizer: TorchTune's ids (training and the evaluation's prompts)
equal what Hugging Face renders with the serving side's chat template, for every example of the
dataset fixture the TypeScript builder wrote. (test/e2e/smollm2-learning.test.ts checks the
same against vLLM's own /tokenize.)"""

import json
import subprocess
from pathlib import Path

import pytest
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from torchtune.data import OpenAIToMessages
from transformers import AutoTokenizer

from tech_lead_trainer.chatml import chatml_tokenizer
from tech_lead_trainer.dataset import read_jsonl
from tech_lead_trainer.evaluate import prompt_tokens
from tech_lead_trainer.profiles import profile_for

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "test" / "fixtures" / "dataset"
PROFILE = profile_for("HuggingFaceTB/SmolLM2-135M-Instruct")
TEMPLATE = ROOT / "training-runner" / "serving" / "src" / "tlb_lora_resolver" / f"{PROFILE.chat_template}.jinja"


@pytest.fixture(scope="module")
def model_dir() -> Path:
    script = ROOT / "training-runner" / "scripts" / "ensure-smollm2.sh"
    cache = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True).stdout.splitlines()[-1]
    return Path(cache) / PROFILE.hub_id


def fixture_rows() -> list[dict]:
    return [json.loads(line) for name in ("train.jsonl", "eval.jsonl") for line in (FIXTURE / name).open()]


def test_the_fixture_has_examples_of_both_kinds() -> None:
    assert {row["meta"]["kind"] for row in fixture_rows()} == {"positive", "negative"}


def test_trained_ids_are_the_served_ids_and_the_loss_starts_at_the_answer(model_dir: Path) -> None:
    tokenizer = chatml_tokenizer(str(model_dir / "tokenizer.json"), max_seq_len=4096)
    hf = AutoTokenizer.from_pretrained(model_dir)
    template = TEMPLATE.read_text()
    rows = fixture_rows()
    assert len(rows) >= 8
    for row in rows:
        messages = OpenAIToMessages(train_on_input=False)({"messages": row["messages"]})["messages"]
        tokens, mask = tokenizer.tokenize_messages(messages)
        served = hf.apply_chat_template(row["messages"], chat_template=template, tokenize=True, return_dict=False)
        prompt = hf.apply_chat_template(
            row["messages"][:2], chat_template=template, tokenize=True, add_generation_prompt=True, return_dict=False
        )
        assert tokens == list(served)
        assert tokens[: len(prompt)] == list(prompt)
        # Loss on the answer and its <|im_end|>, nothing before, not the newline after.
        assert mask.index(False) == len(prompt)
        assert [t for t, m in zip(tokens, mask, strict=True) if not m][-1] == tokenizer.im_end_id


def test_the_evaluation_asks_with_the_review_steps_prompt(model_dir: Path) -> None:
    tokenizer = chatml_tokenizer(str(model_dir / "tokenizer.json"))
    hf = AutoTokenizer.from_pretrained(model_dir)
    for example in read_jsonl(FIXTURE / "eval.jsonl", "eval.jsonl"):
        prompt = hf.apply_chat_template(
            list(example.prompt),
            chat_template=TEMPLATE.read_text(),
            tokenize=True,
            add_generation_prompt=True,
            return_dict=False,
        )
        assert prompt_tokens(tokenizer, example) == list(prompt)


def test_a_tokenizer_without_chatml_tokens_is_refused(tmp_path: Path) -> None:
    Tokenizer(WordLevel({"a": 0}, unk_token="a")).save(str(tmp_path / "tokenizer.json"))
    with pytest.raises(ValueError, match=r"no <\|im_start\|> token: it is not a ChatML tokenizer"):
        chatml_tokenizer(str(tmp_path / "tokenizer.json"))
