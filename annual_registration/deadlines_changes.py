"""The deadline kinds of annual registration and status changes, registered with the deadline engine.

Imported by ``AnnualRegistrationConfig.ready()``; the rules that use them are
data in ``deadlines.DeadlineRule`` (``deadlines.defaults``), so the auditor's
dashboard monitors each of them:

- ANN-2: every student of this year's roll registered (or 暂缓注册) within a
  month of the first term's start; DL: the colleges' lists by the end of September;
- ANN-5: a deregistration marked on the national platform within 15 working days
  of the decision, at every school;
- ANN-6 (SH): every other status change within 30 working days of the decision
  document's issue (发文日期; the decision date when none was recorded);
- a 休学 or 保留学籍 settled (复学, 恢复学籍 or 学籍处理) by the end of its period.
"""

from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from annual_registration.models import AnnualItem, AnnualRegistration, AnnualState, StatusChange
from annual_registration.models.changes import DECIDED_STATES
from deadlines.defaults import ANNUAL_REGISTRATION, DEFERRAL_LIST, DEREGISTRATION, PERIOD_END, STATUS_CHANGE
from deadlines.models import Clock
from deadlines.registry import register_kind
from registrar import codes
from registrar.models import BatchState, Term

# This year's roll as ANN-2 counts it: students to register, not those suspended, retained or gone.
ROLL = AnnualRegistration.objects.filter(
    state__in=[AnnualState.PENDING, AnnualState.DEFERRED, AnnualState.REGISTERED]
).exclude(student__student_status=codes.StudentStatus.DEREGISTERED)
FIRST_TERM_START = Subquery(
    Term.objects.filter(academic_year=OuterRef("academic_year"), number=1).values("start_date")[:1]
)


def _first_list_date(field: str, **batch_filter) -> Subquery:
    """The day the first college list holding the registration was ``field`` (submitted_at, decided_at)."""
    return Subquery(
        AnnualItem.objects.filter(registration=OuterRef("pk"), **batch_filter)
        .order_by()
        .values("registration")
        .annotate(day=Min(TruncDate(f"batch__{field}")))
        .values("day")[:1]
    )


# ANN-2: the annual registration is done for a student once the registrar decided them on a list,
# 注册学籍 or 暂缓注册 (N12: both are the year's registration), or registered them later.
register_kind(
    ANNUAL_REGISTRATION,
    label=_("学年注册"),
    subjects=ROLL,
    clocks={Clock.TERM_START: FIRST_TERM_START},
    college="college",
    student="student",
    done_on=Coalesce(_first_list_date("decided_at", batch__state=BatchState.APPROVED), "registered_on"),
)

# ANN-2 (DL): the college handed its 注册学籍 / 暂缓注册 list to the registrar office.
register_kind(
    DEFERRAL_LIST,
    label=_("学院报送暂缓注册名单"),
    subjects=ROLL,
    clocks={Clock.TERM_START: FIRST_TERM_START},
    college="college",
    student="student",
    done_on=_first_list_date("submitted_at", batch__submitted_at__isnull=False),
)

DECIDED = StatusChange.objects.filter(state__in=DECIDED_STATES)

# ANN-5: 学籍注销 marked on the national platform within 15 working days of the decision.
register_kind(
    DEREGISTRATION,
    label=_("学籍注销"),
    subjects=DECIDED.filter(kind__in=codes.DEREGISTRATION_KINDS),
    clocks={Clock.DECISION_DATE: "decision_date"},
    college="college",
    student="student",
    done_on=TruncDate("reported_at"),
)

# ANN-6 (SH): every other change within 30 working days of the decision document's issue.
register_kind(
    STATUS_CHANGE,
    label=_("学籍异动"),
    subjects=DECIDED.exclude(kind__in=codes.DEREGISTRATION_KINDS),
    clocks={Clock.DECISION_DATE: Coalesce("document_date", "decision_date")},
    college="college",
    student="student",
    done_on=TruncDate("reported_at"),
)

# 休学 / 保留学籍: settled by the end of the period; the college is reminded before it ends.
register_kind(
    PERIOD_END,
    label=_("休学（保留学籍）期满"),
    subjects=DECIDED.filter(period_end__isnull=False),
    clocks={Clock.PERIOD_END: "period_end"},
    college="college",
    student="student",
    done_on="period_closed_on",
)
