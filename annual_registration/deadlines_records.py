"""The statistics table's deadline (ANN-12), registered with the deadline engine: one report per school and year.

Imported by ``AnnualRegistrationConfig.ready()``. The subject is the first term of
every academic year that has an annual roll, not a student: the rule (JL: by 10-30,
``deadlines.defaults``) watches one school-level report, done the day it was sent.
"""

from django.db.models import BigIntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from annual_registration.models import AnnualRegistration, StatisticsReport
from deadlines.defaults import ANNUAL_STATISTICS_REPORT
from deadlines.models import Clock
from deadlines.registry import register_kind
from registrar.models import Term

register_kind(
    ANNUAL_STATISTICS_REPORT,
    label=_("学年电子注册情况统计表上报"),
    subjects=Term.objects.filter(
        number=1, academic_year__in=AnnualRegistration.objects.values("academic_year")
    ),
    clocks={Clock.TERM_START: "start_date"},
    # School-level: no college, no student (typed NULLs, so that PostgreSQL stores them in bigint columns).
    college=Cast(Value(None), BigIntegerField()),
    student=Cast(Value(None), BigIntegerField()),
    done_on=Subquery(
        StatisticsReport.objects.filter(academic_year=OuterRef("academic_year")).values("sent_on")[:1]
    ),
)
