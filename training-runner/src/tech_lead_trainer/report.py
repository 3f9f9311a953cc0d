"""What people read about a run: the metrics table and the job summary with its loss chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tech_lead_trainer.metrics import GateDecision

# The models of metrics.json side by side, in the order a reader compares them (metrics.judge's names).
COLUMNS = (
    ("adapter", "adapter"),
    ("base-few-shot", "base model + examples"),
    ("always-comment", "always comment"),
    ("never-comment", "never comment"),
)
# (label, metrics keys shown in one cell, digits); shares and MCC as fractions, 0..100 scores as they are.
ROWS = (
    ("**review score** (gate)", ("score",), 3),
    ("comment decision MCC", ("mcc",), 2),
    ("precision / recall", ("precision", "recall"), 2),
    ("right line", ("right_line",), 2),
    ("BLEU-4", ("bleu4",), 1),
)
CHART_POINTS = 60


def metrics_table(models: Mapping[str, Mapping[str, float]]) -> str:
    """The held-out numbers of the adapter and each baseline, one column per model that has them."""
    columns = [(key, label) for key, label in COLUMNS if key in models]
    lines = [
        "| held-out hunks | " + " | ".join(label for _, label in columns) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]
    for label, keys, digits in ROWS:
        cells = [" / ".join(_number(models[model].get(key), digits) for key in keys) for model, _ in columns]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gate_text(decision: GateDecision) -> str:
    name, score = decision.best_baseline
    return (
        f"review score {decision.adapter_score:.3f} against {score:.3f} for the best baseline, {name},"
        f" quality-margin {decision.margin:g}"
    )


def loss_chart(losses: Sequence[tuple[int, float]]) -> str:
    """A Mermaid xychart of the training loss (GitHub renders it in job summaries)."""
    if not losses:
        return ""
    stride = -(-len(losses) // CHART_POINTS)  # ceil: at most CHART_POINTS points
    points = list(losses[::stride])
    if points[-1] != losses[-1]:
        points.append(losses[-1])
    steps = ", ".join(str(step) for step, _ in points)
    values = ", ".join(f"{loss:.4f}" for _, loss in points)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta",
            '  title "Training loss"',
            f'  x-axis "step" [{steps}]',
            '  y-axis "loss"',
            f"  line [{values}]",
            "```",
        ]
    )


def job_summary(reviewer: str, lines: Sequence[str], table: str, chart: str) -> str:
    parts = [f"## tech-lead-bot · `{reviewer}`'s adapter", "", *lines]
    if table:
        parts += ["", table]
    if chart:
        parts += ["", chart]
    return "\n".join(parts) + "\n"


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"  # noqa: RUF001
