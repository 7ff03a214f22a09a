"""The staff page of review lists: the core's batch page, with the freshmen's initial passwords."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from enrollment import exports, services
from enrollment.models import ReviewBatch
from registrar.admin_batches import BatchAdmin
from registrar.models import Batch, BatchKind
from registrar.uploads import download


@admin.register(ReviewBatch)
class ReviewBatchAdmin(BatchAdmin):
    kind = BatchKind.FRESHMAN_REVIEW
    detail_template = "enrollment/admin/batch_detail.html"

    def extra_actions(self) -> dict:
        return {"passwords": self._passwords}

    def _passwords(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        """初始密码单 of an approved list: new random passwords for those who never signed in (ENR-11)."""
        rows = services.student_passwords_issue(actor=request.user, batch_id=batch.pk)
        return download(exports.password_sheet(rows), _("%(list)s-初始密码.xlsx") % {"list": batch})
