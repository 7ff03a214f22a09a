"""The domain's refusals, importable by every layer (``registrar.services`` re-exports them)."""


class DomainError(Exception):
    """A refusal with a reason in the active language (Chinese by default), shown to the user as it is."""
