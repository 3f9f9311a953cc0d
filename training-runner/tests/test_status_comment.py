"""Reading and editing the status comment through the GitHub API stand-in (its text: test_contracts.py)."""

import pytest

from tech_lead_trainer.status_comment import StatusComment, StatusCommentError

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
