"""学年电子注册: each year's registration of every in-school student, and what blocks it.

One module per concern; every model is importable from ``annual_registration.models``.
"""

from annual_registration.models.archive import StudentArchive
from annual_registration.models.changes import (
    ChangeKindSetting,
    ChangeList,
    ChangeState,
    StatusChange,
)
from annual_registration.models.check_ins import CheckInState, TermCheckIn
from annual_registration.models.identity import (
    IdentityChangeRequest,
    IdentityChangeSettings,
    IdentityProof,
)
from annual_registration.models.records import (
    Award,
    CertificateCounter,
    IssuedCertificate,
    Punishment,
)
from annual_registration.models.registrations import (
    AnnualItem,
    AnnualList,
    AnnualOutcome,
    AnnualRegistration,
    AnnualState,
    DeferralReason,
    FeeImport,
    FeeRecord,
    FeeStatus,
)
from annual_registration.models.reports import StatisticsReport

__all__ = [
    "AnnualItem",
    "AnnualList",
    "AnnualOutcome",
    "AnnualRegistration",
    "AnnualState",
    "Award",
    "CertificateCounter",
    "ChangeKindSetting",
    "ChangeList",
    "ChangeState",
    "CheckInState",
    "DeferralReason",
    "FeeImport",
    "FeeRecord",
    "FeeStatus",
    "IdentityChangeRequest",
    "IdentityChangeSettings",
    "IdentityProof",
    "IssuedCertificate",
    "Punishment",
    "StatisticsReport",
    "StatusChange",
    "StudentArchive",
    "TermCheckIn",
]
