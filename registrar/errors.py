"""The domain's refusals, importable by every layer (``registrar.services`` re-exports them)."""


class DomainError(Exception):
    """A refusal with a reason in the active language (Chinese by default), shown to the user as it is."""


# What a page shows as a message rather than an error page: a domain refusal, or a refused right.
# (Imported lazily from Django: this module stays importable before the app registry is ready.)
def _refusals() -> tuple[type[Exception], ...]:
    from django.core.exceptions import PermissionDenied

    return (DomainError, PermissionDenied)


REFUSALS = _refusals()
