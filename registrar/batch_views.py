"""Pages of a batch outside its admin page: the kind's template to fill, and a link that finds the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from registrar.admin_batches import batch_page_url
from registrar.batch_kinds import items_of
from registrar.models import Batch
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
    return download(content, _("%(list)s-%(college)s.xlsx") % {"list": batch, "college": batch.college.name})


@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Where a notice about a list leads: the list's own page, whatever its kind."""
    return redirect(batch_page_url(_visible_batch(request, batch_id)))
