"""毕(结)业结论: what an approved outcome list decides of each graduate (DIP-1), set-based.

毕业 and 结业 graduates go on to the pre-check and registration; 肄业 is never
registered as a certificate: it becomes a 肄业证书 record of 学籍记载 (ANN-7).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models.records import CertificateKind as RecordKind
from annual_registration.services.records import certificate_issue
from diploma.models import ExpectedGraduate, GraduationOutcome
from registrar.models import User
from registrar.transitions import Machine, Move, apply_moves, lock_rows

GRADUATES = Machine(
    model=ExpectedGraduate,
    field="outcome",
    columns=("student_id", "college_id", "graduation_year", "graduation_date"),
    describe=lambda row: _("学生%(id)s（%(year)s届）") % {"id": row.student_id, "year": row.graduation_year},
    action_prefix="diploma.graduate",
    quiet=("outcome_decided_at",),
    conflict=gettext_lazy("部分预计毕业生的结论已被他人处理，请刷新后重试"),
)

# The declared transition that gives each outcome.
OUTCOME_TRANSITION = {
    GraduationOutcome.GRADUATED: "graduate",
    GraduationOutcome.COMPLETED: "complete",
    GraduationOutcome.ATTENDED: "attend",
}


@transaction.atomic
def graduate_outcomes_apply(
    *, actor: User, outcomes: Mapping[int, str], document_number: str = "", reason: str = ""
) -> int:
    """审批毕(结)业结论: each graduate's outcome through its declared transition, one event each (DIP-1).

    Runs in the caller's transaction when there is one (the list's approval). 肄业 graduates are
    issued a 肄业证书 record of 学籍记载, dated the graduation date (ANN-7).
    """
    rows = lock_rows(GRADUATES, outcomes)
    moves = [Move(rows[pk], OUTCOME_TRANSITION[outcomes[pk]], reason=reason) for pk in sorted(rows)]
    apply_moves(GRADUATES, moves, actor=actor, document_number=document_number)
    for move in moves:
        if move.transition == "attend":
            certificate_issue(
                actor=actor,
                student_id=move.row.student_id,
                kind=RecordKind.ATTENDANCE,
                issued_on=min(move.row.graduation_date, _today()),
                note=_("%(year)s届毕业结论：肄业") % {"year": move.row.graduation_year},
                attended=True,
            )
    return len(moves)


def _today():
    from django.utils import timezone

    return timezone.localdate()
