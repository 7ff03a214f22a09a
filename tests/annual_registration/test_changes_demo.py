"""The demo's status changes (issue 11, "done when"): a 休学, a 转专业 list, a 退学 with its clock running."""

import pytest
from django.core.management import call_command

from annual_registration.models import ChangeState, StatusChange
from registrar import codes

pytestmark = pytest.mark.django_db
Kind = codes.StatusChangeKind


@pytest.mark.rule("ANN-5")
def test_the_demo_holds_a_suspension_a_major_change_list_and_a_withdrawal_not_yet_marked(
    capsys, kind_settings
):
    call_command("load_demo", students=500)
    decided = dict(
        StatusChange.objects.filter(state__in=[ChangeState.APPROVED, ChangeState.REPORTED])
        .values_list("kind", "state")
        .distinct()
    )
    assert decided[Kind.SUSPENSION] == ChangeState.REPORTED
    assert decided[Kind.WITHDRAWAL] == ChangeState.APPROVED
    assert (
        StatusChange.objects.filter(
            kind=Kind.MAJOR_CHANGE, batch__isnull=False, state=ChangeState.APPROVED
        ).count()
        >= 3
    )
