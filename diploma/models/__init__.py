"""学历证书电子注册: expected graduates and their outcomes, certificates, numbers, corrections, annotations.

One module per concern; every model is importable from ``diploma.models``.
"""

from diploma.models.certificates import (
    AnnotationKind,
    Certificate,
    CertificateAnnotation,
    CertificateCorrection,
    CertificateKind,
    CertificateSequence,
    CertificateState,
    CorrectionState,
    ReplacementAttestation,
)
from diploma.models.graduates import (
    CERTIFIED_OUTCOMES,
    ExpectedGraduate,
    GraduationOutcome,
    OutcomeItem,
    OutcomeList,
)
from diploma.models.photos import (
    CheckState,
    PhotoCapture,
    PhotoImport,
    PhotoImportKind,
    PhotoRetake,
    RetakeReason,
)

__all__ = [
    "CERTIFIED_OUTCOMES",
    "AnnotationKind",
    "Certificate",
    "CertificateAnnotation",
    "CertificateCorrection",
    "CertificateKind",
    "CertificateSequence",
    "CertificateState",
    "CheckState",
    "CorrectionState",
    "ExpectedGraduate",
    "GraduationOutcome",
    "OutcomeItem",
    "OutcomeList",
    "PhotoCapture",
    "PhotoImport",
    "PhotoImportKind",
    "PhotoRetake",
    "ReplacementAttestation",
    "RetakeReason",
]
