"""The exceptions of the suanli module."""


class ScenarioError(ValueError):
    """Bad input: a scenario, an edit or a file it names. The same messages as the CLI's.

    ``errors`` lists every problem found (validation reports all of them) as dicts with ``file``,
    ``pointer`` (the JSON pointer or line:column), ``message`` and ``line`` (the CLI's one-line
    message "FILE: POINTER: MESSAGE"); ``file``, ``pointer`` and ``message`` are the first one's.
    ``str(error)`` is the CLI's lines, one per problem.
    """

    def __init__(self, errors):
        self.errors = list(errors)
        first = self.errors[0] if self.errors else {"file": "", "pointer": "", "message": "", "line": ""}
        self.file = first["file"]
        self.pointer = first["pointer"]
        self.message = first["message"]
        super().__init__("\n".join(e["line"] for e in self.errors))


class PolicyError(RuntimeError):
    """A Python placement policy or queue discipline raised, or returned something it may not: the run
    stopped."""


class InternalError(RuntimeError):
    """A fault of suanli itself (the CLI's exit code 3)."""
