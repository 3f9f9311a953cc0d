"""Errors whose message is written for the person who asked for the review."""


class TrainerError(Exception):
    """A failure the trainer explains: the message says what happened and what to change.

    ``title`` is the short heading of the job-log annotation.
    """

    def __init__(self, message: str, *, title: str = "Training failed") -> None:
        super().__init__(message)
        self.message = message
        self.title = title


def error_message(error: BaseException) -> str:
    """The message of any error, for logs: the class name when it carries no text."""
    return str(error) or type(error).__name__
