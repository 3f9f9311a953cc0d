"""The held-out prompts are exactly the start of what the model was trained on."""

from pathlib import Path

from torchtune.data import OpenAIToMessages
from torchtune.models.llama3 import llama3_tokenizer

from tech_lead_trainer.dataset import read_jsonl
from tech_lead_trainer.evaluate import prompt_tokens

TS_DATASET = Path(__file__).parents[2] / "test" / "fixtures" / "dataset"


def test_the_prompt_is_the_training_sequence_up_to_the_answer(tiny_model_dir: Path) -> None:
    tokenizer = llama3_tokenizer(
        str(tiny_model_dir / "original" / "tokenizer.model"),
        special_tokens_path=str(tiny_model_dir / "tokenizer.json"),
    )
    for example in read_jsonl(TS_DATASET / "eval.jsonl", "eval.jsonl"):
        trained, _ = tokenizer.tokenize_messages(OpenAIToMessages()({"messages": list(example.messages)})["messages"])
        prompt = prompt_tokens(tokenizer, example)

        assert trained[: len(prompt)] == prompt
        # What follows is the reviewer's answer, then <|eot_id|> <|end_of_text|>.
        assert tokenizer.decode(trained[len(prompt) : -2]) == example.answer
