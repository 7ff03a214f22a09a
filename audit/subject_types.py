"""Subject types under their former names (SEC-3): an event keeps the subject type it was recorded with.

An event's ``subject_type`` is its subject's ``app_label.model`` at the time;
events are never rewritten, so a model that moves to another app keeps its
old name in the events recorded before the move (``audit.deadlinerule`` for
``deadlines.deadlinerule``). The app a model moved to declares the move once,
from its ``AppConfig.ready()``; whoever looks up a subject's events asks for
every name it had, and may show the current one.
"""

from __future__ import annotations

_CURRENT: dict[str, str] = {}  # former name → current name


def subject_type_moved(*, old: str, new: str) -> None:
    """Declare that events naming ``old`` are about the subjects now named ``new``."""
    _CURRENT[old] = new


def current_subject_type(subject_type: str) -> str:
    """The name a subject type has now (itself unless it moved)."""
    return _CURRENT.get(subject_type, subject_type)


def subject_type_names(subject_type: str) -> list[str]:
    """Every name events may give this subject type: the current one first, then the former ones."""
    current = current_subject_type(subject_type)
    return [current, *sorted(old for old, new in _CURRENT.items() if new == current)]
