"""The tiny model fixture stands in for Llama 3.1 8B Instruct: TorchTune and
Hugging Face (and so vLLM) must read the same tokens and compute the same model."""

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torchtune import training
from torchtune.data import OpenAIToMessages
from torchtune.datasets import chat_dataset
from torchtune.models.llama3 import llama3_tokenizer
from torchtune.models.llama3_1 import llama3_1
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase

from tech_lead_trainer.testing.corpus import CORPUS
from tech_lead_trainer.testing.tiny_model import SPECIAL_TOKENS, TINY, build_tiny_model, recipe_overrides

TEXTS = [
    "line 42: This swallows the error; log it or rethrow.",
    "NO COMMENT",
    "File: src/a.ts\n@@ -10,7 +10,9 @@ export async function f(id: string) {\n"
    "-  return response.json();\n+  if (!response.ok) {\n+    throw new Error(`GET ${id}: ${response.status}`);\n",
    "def delays(self) -> list[float]:\n\treturn [self.backoff * 2**i for i in range(3)]  # 1e-5, 0x1f\n\n\n",
    "Ünïcödé, emoji 🚀, CJK 漢字 and words the corpus never saw: zymurgy quixotic",
    "   leading and trailing whitespace   \n\n",
    "12345678901234567890 3.14159",
]


@pytest.fixture(scope="module")
def tt_tokenizer(tiny_model_dir: Path):
    return llama3_tokenizer(
        str(tiny_model_dir / "original" / "tokenizer.model"),
        special_tokens_path=str(tiny_model_dir / "tokenizer.json"),
    )


@pytest.fixture(scope="module")
def hf_tokenizer(tiny_model_dir: Path) -> PreTrainedTokenizerBase:
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def hf_chat_ids(hf_tokenizer: PreTrainedTokenizerBase, messages: list[dict[str, str]], **kwargs: bool) -> list[int]:
    return list(hf_tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, **kwargs)["input_ids"])


@pytest.mark.parametrize("text", TEXTS)
def test_both_tokenizers_give_the_same_ids(tt_tokenizer, hf_tokenizer: PreTrainedTokenizerBase, text: str) -> None:
    tt_ids = tt_tokenizer.encode(text, add_bos=False, add_eos=False)

    assert hf_tokenizer.encode(text, add_special_tokens=False) == tt_ids
    assert tt_tokenizer.decode(tt_ids) == text
    assert hf_tokenizer.decode(tt_ids) == text


def test_both_tokenizers_agree_on_the_corpus_and_on_random_text(tt_tokenizer, hf_tokenizer) -> None:
    rng = random.Random(0)
    alphabet = [*CORPUS, " ", "  ", "\n", "\t", "\r\n", "é", "ß", "→", "🚀", "漢", "'s", "'LL", "123456"]
    texts = [CORPUS] + ["".join(rng.choices(alphabet, k=rng.randint(1, 300))) for _ in range(300)]

    for text in texts:
        assert hf_tokenizer.encode(text, add_special_tokens=False) == tt_tokenizer.encode(
            text, add_bos=False, add_eos=False
        ), text


def test_text_becomes_multi_byte_tokens(tt_tokenizer) -> None:
    text = TEXTS[0]

    assert len(tt_tokenizer.encode(text, add_bos=False, add_eos=False)) < len(text.encode()) / 2


def test_special_token_text_inside_a_message_is_plain_text_only_for_torchtune(
    tt_tokenizer, hf_tokenizer: PreTrainedTokenizerBase
) -> None:
    # A hunk that contains "<|eot_id|>" trains as ordinary text, but Hugging Face
    # (and so vLLM) reads it as the end-of-turn token: the dataset builder must
    # neutralise such strings before they reach either side.
    text = "x <|eot_id|> y"

    assert tt_tokenizer.eot_id not in tt_tokenizer.encode(text, add_bos=False, add_eos=False)
    assert tt_tokenizer.eot_id in hf_tokenizer.encode(text, add_special_tokens=False)


def test_special_tokens_have_the_same_ids(tt_tokenizer, hf_tokenizer: PreTrainedTokenizerBase) -> None:
    hf_ids = {token: hf_tokenizer.convert_tokens_to_ids(token) for token in SPECIAL_TOKENS}

    assert hf_ids == {token: tt_tokenizer.special_tokens[token] for token in SPECIAL_TOKENS}
    assert sorted(hf_ids.values()) == list(range(TINY.base_vocab_size, TINY.vocab_size))
    assert hf_tokenizer.bos_token_id == tt_tokenizer.bos_id
    assert hf_tokenizer.eos_token_id == tt_tokenizer.eot_id
    assert tt_tokenizer.vocab_size == len(hf_tokenizer) == TINY.vocab_size


def test_chat_template_renders_the_tokens_torchtune_trains_on(
    tt_tokenizer, hf_tokenizer: PreTrainedTokenizerBase, dataset_rows: list[dict[str, object]]
) -> None:
    for row in dataset_rows:
        sample = OpenAIToMessages(train_on_input=False)(row)
        tt_ids, _ = tt_tokenizer.tokenize_messages(sample["messages"])

        # TorchTune ends a training sequence with <|end_of_text|>; a chat turn ends at <|eot_id|>.
        assert [*hf_chat_ids(hf_tokenizer, row["messages"]), tt_tokenizer.eos_id] == tt_ids


def test_inference_prompt_is_the_start_of_the_training_sequence(
    tt_tokenizer, hf_tokenizer: PreTrainedTokenizerBase, dataset_rows: list[dict[str, object]]
) -> None:
    row = dataset_rows[0]
    tt_ids, _ = tt_tokenizer.tokenize_messages(OpenAIToMessages()(row)["messages"])

    prompt = hf_chat_ids(hf_tokenizer, row["messages"][:2], add_generation_prompt=True)

    assert tt_ids[: len(prompt)] == prompt
    answer = tt_ids[len(prompt) : -2]  # then <|eot_id|> <|end_of_text|>
    assert hf_tokenizer.decode(answer) == row["messages"][2]["content"]


def test_chat_dataset_reads_the_contract_jsonl(tt_tokenizer, dataset_dir: Path, tmp_path: Path) -> None:
    dataset = chat_dataset(
        tokenizer=tt_tokenizer,
        source="json",
        data_files=str(dataset_dir / "train.jsonl"),
        split="train",
        conversation_column="messages",
        conversation_style="openai",
        train_on_input=False,
        cache_dir=str(tmp_path),
    )
    trained_on = [
        tt_tokenizer.decode([label for label in sample["labels"] if label != -100], truncate_at_eos=False)
        for sample in dataset
    ]

    # Only the reviewer's answer is learned, the "meta" column is ignored, and
    # negative examples teach the model to say exactly NO COMMENT.
    assert trained_on[0] == "line 11: Prefer `const`, `name` is never reassigned."
    assert trained_on[3] == "NO COMMENT"
    assert len(dataset) == 6


def test_torchtune_and_transformers_compute_the_same_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    checkpointer = training.FullModelHFCheckpointer(
        checkpoint_dir=str(tiny_model_dir),
        checkpoint_files=["model.safetensors"],
        model_type="LLAMA3",
        output_dir=str(tmp_path),
    )
    tt_model = llama3_1(
        vocab_size=TINY.vocab_size,
        num_layers=TINY.num_layers,
        num_heads=TINY.num_heads,
        num_kv_heads=TINY.num_kv_heads,
        embed_dim=TINY.hidden_size,
        max_seq_len=TINY.max_seq_len,
        intermediate_dim=TINY.intermediate_size,
        norm_eps=TINY.norm_eps,
        rope_base=int(TINY.rope_theta),
        scale_factor=TINY.rope_scale_factor,
    )
    tt_model.load_state_dict(checkpointer.load_checkpoint()[training.MODEL_KEY])
    hf_model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tokens = torch.arange(TINY.vocab_size).reshape(4, -1)[:, :96]

    with torch.no_grad():
        tt_logits = tt_model.eval()(tokens)
        hf_logits = hf_model.eval()(tokens).logits

    torch.testing.assert_close(tt_logits, hf_logits, atol=1e-4, rtol=1e-4)


def test_build_is_deterministic(tiny_model_dir: Path, tmp_path: Path) -> None:
    assert digests(build_tiny_model(tmp_path / "again")) == digests(tiny_model_dir)


def test_command_line_builds_the_model_and_prints_the_overrides(tiny_model_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tech_lead_trainer.testing.tiny_model", str(tmp_path / "model")],
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.splitlines() == recipe_overrides(tmp_path / "model")
    # Another process, the same bytes: nothing depends on hash seeds or thread timing.
    assert digests(tmp_path / "model") == digests(tiny_model_dir)


def digests(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
