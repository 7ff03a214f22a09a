"""The deadline kinds of diploma registration, registered with the deadline engine.

Imported by ``DiplomaConfig.ready()``; the rules that use them are data
(``deadlines.defaults``: ``diploma_registration`` and SH's ``completion_exchange``),
so the auditor's dashboard monitors both:

- DIP-5: every 毕业 or 结业 graduate's certificate registered by the graduation date;
- DIP-11 (SH): a 结业 graduate whose exchange for 毕业 was approved has the 毕业
  certificate registered by the end of October.
"""

from django.db.models import Exists, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from deadlines.defaults import COMPLETION_EXCHANGE, DIPLOMA_REGISTRATION
from deadlines.models import Clock
from deadlines.registry import register_kind
from diploma.models import (
    CERTIFIED_OUTCOMES,
    Certificate,
    CertificateKind,
    ExpectedGraduate,
    GraduationOutcome,
)
from diploma.selectors import SHOWN_STATES


def _first_registered(**certificate_filter) -> Subquery:
    """The day the graduate's first certificate (of ``certificate_filter``) was registered."""
    return Subquery(
        Certificate.objects.filter(graduate=OuterRef("pk"), state__in=SHOWN_STATES, **certificate_filter)
        .order_by()
        .values("graduate")
        .annotate(day=Min(TruncDate("registered_at")))
        .values("day")[:1]
    )


# DIP-5: registered at graduation; the issue date is the graduation date.
register_kind(
    DIPLOMA_REGISTRATION,
    label=_("学历证书电子注册"),
    subjects=ExpectedGraduate.objects.filter(outcome__in=CERTIFIED_OUTCOMES),
    clocks={Clock.GRADUATION_DATE: "graduation_date"},
    college="college",
    student="student",
    done_on=_first_registered(),
)

# DIP-11 (SH): an approved 结业→毕业 exchange registered by the end of October.
EXCHANGED = ExpectedGraduate.objects.filter(
    Exists(
        Certificate.objects.filter(
            graduate=OuterRef("pk"), kind=CertificateKind.COMPLETION, state__in=SHOWN_STATES
        )
    ),
    outcome=GraduationOutcome.GRADUATED,
)
register_kind(
    COMPLETION_EXCHANGE,
    label=_("结业换发毕业证书"),
    subjects=EXCHANGED,
    clocks={Clock.GRADUATION_DATE: "graduation_date"},
    college="college",
    student="student",
    done_on=_first_registered(kind=CertificateKind.GRADUATION),
)
