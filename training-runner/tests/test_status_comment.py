"""The status comment keeps the prepare step's text and takes ours, through the GitHub API stand-in."""

import pytest

from tech_lead_trainer.status_comment import StatusComment, StatusCommentError, StatusLine, render

RUN = "https://github.com/acme/widgets/actions/runs/1"
PREPARED = "\n".join(
    [
        "<!-- tech-lead-bot:status reviewer=alice -->",
        "### tech-lead-bot · reviewing as `alice`",
        "",
        "- ✅ Built 10 training and 2 evaluation examples.",
        "- ⏳ Next: train `alice`'s adapter on the GPU runner, then review.",
        "",
        f"<sub>[Workflow run]({RUN})</sub>",
    ]
)


def test_render_replaces_the_plan_and_keeps_what_happened() -> None:
    body = render(
        PREPARED, "alice", RUN, [StatusLine("done", "Trained."), StatusLine("next", "Next: review.")], "| t |"
    )

    assert body.splitlines() == [
        "<!-- tech-lead-bot:status reviewer=alice -->",
        "### tech-lead-bot · reviewing as `alice`",
        "",
        "- ✅ Built 10 training and 2 evaluation examples.",
        "- ✅ Trained.",
        "- ⏳ Next: review.",
        "",
        "| t |",
        "",
        f"<sub>[Workflow run]({RUN})</sub>",
    ]


def test_render_starts_a_body_when_the_comment_is_not_ours() -> None:
    body = render("someone else's text", "Alice", RUN, [StatusLine("failed", "Broke.")])

    assert body.splitlines()[:4] == [
        "<!-- tech-lead-bot:status reviewer=alice -->",
        "### tech-lead-bot · reviewing as `Alice`",
        "",
        "- ❌ Broke.",
    ]


def test_edits_are_retried_on_server_errors(github) -> None:
    github.comments[5] = PREPARED
    github.failures = [502, 503]
    comment = StatusComment(github.url, "acme/widgets", 5, "t0ken")

    comment.write("new body")

    assert github.comments[5] == "new body"
    assert [r.method for r in github.requests] == ["PATCH"] * 3
    assert {r.authorization for r in github.requests} == {"Bearer t0ken"}


def test_a_missing_comment_says_which_permission_to_grant(github) -> None:
    comment = StatusComment(github.url, "acme/widgets", 6, "t0ken")

    with pytest.raises(
        StatusCommentError, match=r"answered 404 Not Found\. Pass a github-token with `pull-requests: write`"
    ):
        comment.read()
    assert len(github.requests) == 1  # a 4xx is not retried
