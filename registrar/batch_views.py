"""Pages of a batch outside its admin page: the kind's template to fill, its proofs, and a link that finds the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from registrar.admin_batches import batch_page_url
from registrar.batch_kinds import items_of
from registrar.models import Batch, BatchAttachment
from registrar.roles import STAFF_ROLES, role_of
from registrar.uploads import download


def _visible_batch(request: HttpRequest, batch_id: int) -> Batch:
    """A batch the signed-in staff member may see; anyone else's is not found (SEC-1)."""
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("只有教职工可以查看名单"))
    batch = Batch.objects.for_user(request.user).filter(pk=batch_id).select_related("college").first()
    if batch is None:
        raise Http404(_("名单不存在"))
    return batch


@login_required
def batch_template(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The sheet a college fills for this list: the people it may hold, per the list's kind."""
    batch = _visible_batch(request, batch_id)
    content = items_of(batch.kind).template(request.user, batch)
    name = str(batch) if batch.college.name in str(batch) else f"{batch}-{batch.college.name}"
    return download(content, _("%(list)s-模板.xlsx") % {"list": name})


@login_required
def batch_attachment(request: HttpRequest, batch_id: int, attachment_id: int) -> HttpResponse:
    """证明材料 of a list, for the staff who see the list (its college's and the registrar office)."""
    batch = _visible_batch(request, batch_id)
    attachment = BatchAttachment.objects.filter(batch=batch, pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("证明材料不存在"))
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404(_("证明材料的文件已不在存储中，请联系管理员")) from None
    return download(content, attachment.original_name, attachment.content_type)


@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Where a notice about a list leads: the list's own page, whatever its kind."""
    return redirect(batch_page_url(_visible_batch(request, batch_id)))
