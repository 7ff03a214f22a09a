"""Documents people upload (证明材料, 处理决定文件): an identity change's proofs (ANN-8), a status
change's decision document (ANN-4, ANN-5), and a list's proofs the registrar asks for on return (issue 10).

Bounded in number, size and type before anything is stored. A file is a PDF,
JPEG or PNG, recognised by its first bytes, and its name must say the same (a
page renamed ``证明.pdf`` is refused); it is read through the upload toolkit's
bounded read (``read_upload``), so an oversized file is refused before its bytes
are read. Refusals name the file as what it is (证明材料, 处理决定文件). A
service stores what passes with ``proof_save``, inside its transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrar.errors import DomainError
from registrar.sheets.errors import FileFormatError, megabytes
from registrar.sheets.limits import SheetLimits, read_upload


@dataclass(frozen=True)
class ProofType:
    content_type: str
    magic: bytes
    suffixes: tuple[str, ...]


PROOF_TYPES = (
    ProofType("application/pdf", b"%PDF-", (".pdf",)),
    ProofType("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    ProofType("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)
ACCEPTED = "、".join(s.lstrip(".").upper() for t in PROOF_TYPES for s in t.suffixes[:1])
# What the file picker offers; the server checks again.
ACCEPT_ATTRIBUTE = ",".join(s for t in PROOF_TYPES for s in t.suffixes)

# What a refusal calls the file.
PROOF = gettext_lazy("证明材料")
DECISION_DOCUMENT = gettext_lazy("处理决定文件")


@dataclass(frozen=True)
class ProofFile:
    """One checked proof: its name as uploaded, bytes, type and digest."""

    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _size(size: int) -> str:
    """A file size as people read it: KB below a megabyte, else the upload toolkit's MB."""
    return f"{max(1, round(size / 1024))} KB" if size < 1 << 20 else megabytes(size)


def _shown_name(upload: IO[bytes], what: str | Promise) -> str:
    """The upload's own name, without any path, cut to what the row keeps."""
    name = PurePosixPath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    return name[:255] or str(what)


def read_proof(upload: IO[bytes], *, what: str | Promise = PROOF) -> ProofFile:
    """One file, or ``DomainError`` in Chinese naming it as ``what``: too large, empty, not a PDF/JPEG/PNG."""
    name = _shown_name(upload, what)
    limit = settings.IDENTITY_PROOF_MAX_BYTES
    try:
        content = read_upload(upload, limits=SheetLimits(upload_bytes=limit))
    except FileFormatError:
        size = getattr(upload, "size", None) or limit + 1
        raise DomainError(
            _("%(what)s“%(name)s”为%(size)s，超过上限%(limit)s")
            % {"what": what, "name": name, "size": _size(size), "limit": _size(limit)}
        ) from None
    if not content:
        raise DomainError(_("%(what)s“%(name)s”是空文件") % {"what": what, "name": name})
    suffix = PurePosixPath(name).suffix.lower()
    for kind in PROOF_TYPES:
        if content.startswith(kind.magic):
            if suffix not in kind.suffixes:
                break
            return ProofFile(name=name, content=content, content_type=kind.content_type)
    raise DomainError(
        _("%(what)s“%(name)s”不是可接受的文件，只接受 %(types)s 格式（扩展名须与文件内容一致）")
        % {"what": what, "name": name, "types": ACCEPTED}
    )


def read_decision_document(upload: IO[bytes]) -> ProofFile:
    """处理决定文件 of a status change (ANN-4, ANN-5): the same checks, refusals that call it so."""
    return read_proof(upload, what=DECISION_DOCUMENT)


def read_proofs(uploads: Sequence[IO[bytes]], *, required: bool = True) -> list[ProofFile]:
    """Every proof of one request, each checked, at most ``IDENTITY_PROOF_MAX_FILES`` (ANN-8)."""
    most = settings.IDENTITY_PROOF_MAX_FILES
    if required and not uploads:
        raise DomainError(_("请上传证明材料（如户籍证明、公安机关出具的证明）"))
    if len(uploads) > most:
        raise DomainError(_("证明材料最多%(n)d个文件") % {"n": most})
    return [read_proof(upload) for upload in uploads]


def proof_save(model: type[models.Model], proof: ProofFile, **fields: Any) -> models.Model:
    """Store one checked proof as a row of ``model`` (its file, name, type, size and digest, and ``fields``)."""
    row = model(
        original_name=proof.name,
        content_type=proof.content_type,
        size=len(proof.content),
        sha256=proof.sha256,
        **fields,
    )
    row.file.save(proof.name, ContentFile(proof.content), save=False)
    row.save()
    return row
