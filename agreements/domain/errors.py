"""What the domain says when it refuses a command."""


def shown(value, limit: int = 60) -> str:
    """A value as an error message may quote it: never unbounded (a huge input must not make a huge error)."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


class DomainError(Exception):
    """Base of every refusal: nothing is stored when one is raised."""


class InvalidCommand(DomainError):
    """The command itself is malformed: field-level messages, like a form's errors."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = {field: list(messages) for field, messages in errors.items()}
        summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        super().__init__(summary)


class RuleViolated(DomainError):
    """A well-formed command that breaks a rule of the domain. `rule` is a stable code, `field` the culprit."""

    def __init__(self, rule: str, message: str, field: str | None = None):
        self.rule = rule
        self.message = message
        self.field = field
        super().__init__(f"{rule}: {message}")


class UnknownCommand(InvalidCommand):
    pass
