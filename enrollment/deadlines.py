"""The deadline kinds of freshman registration, registered with the deadline engine (ENR-4, ENR-5).

Imported by ``EnrollmentConfig.ready()``. The rules that use them (3 months,
the deferral's end) are data in ``deadlines.DeadlineRule``.
"""

from django.db.models import Case, DateField, Q, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from deadlines.defaults import DEFERRAL_EXPIRY, FRESHMAN_REVIEW
from deadlines.models import Clock
from deadlines.registry import register_kind
from enrollment.models import AdmissionRecord, AdmissionState

# ENR-5: 复查 within 3 months of the first term's start (ENR-4: for a readmitted freshman, of the term they
# actually enter); done when passed, or when the record is cancelled.
register_kind(
    FRESHMAN_REVIEW,
    label=_("新生入学资格复查"),
    subjects=AdmissionRecord.objects.filter(state__in=[AdmissionState.ADMITTED, AdmissionState.REGISTERED]),
    clocks={Clock.TERM_START: Coalesce("entered_term_start", "term__start_date")},
    college="college",
    student="student",
    done_on=Coalesce(
        "rereview_passed_on",
        Case(
            When(state=AdmissionState.CANCELLED, then=TruncDate("state_changed_at")), output_field=DateField()
        ),
    ),
)

# ENR-4: a deferral must be settled (readmitted, forfeited or cancelled) by its end.
register_kind(
    DEFERRAL_EXPIRY,
    label=_("保留入学资格期满"),
    subjects=AdmissionRecord.objects.filter(state=AdmissionState.DEFERRED),
    clocks={Clock.DEFERRAL_END: "deferral_end"},
    college="college",
    student="student",
    done_on=Case(
        When(~Q(state=AdmissionState.DEFERRED), then=TruncDate("state_changed_at")), output_field=DateField()
    ),
)
