"""What people read about a run: the metrics table and the job summary with its loss chart."""

from __future__ import annotations

from collections.abc import Sequence

from tech_lead_trainer.metrics import GateDecision

# (metrics key, label, digits); shares and MCC as fractions, 0..100 scores as they are.
ROWS = (
    ("score", "**review score** (gate)", 3),
    ("mcc", "comment decision MCC", 2),
    ("right_line", "right line", 2),
    ("bleu4", "BLEU-4", 1),
)
CHART_POINTS = 60


def metrics_table(base: dict[str, float], adapter: dict[str, float]) -> str:
    lines = ["| held-out hunks | base model, few-shot | with adapter |", "| --- | ---: | ---: |"]
    for key, label, digits in ROWS:
        if key in base or key in adapter:
            lines.append(f"| {label} | {_number(base.get(key), digits)} | {_number(adapter.get(key), digits)} |")
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
