"""Staff pages of diploma registration: the expected graduates, the outcome lists, the certificates.

Every staff member sees the rows of their scope (``for_user``); only the registrar
office builds the list, registers, revokes, corrects and annotates, each through its
service (SEC-1). Certificates are never edited on a form (DIP-6): each later event
is a decision page of its own. The outcome lists are the shared batch page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diploma.exports import graduation_statistics, statistics_cells, statistics_total
from diploma.models import (
    Certificate,
    CertificateAnnotation,
    CertificateCorrection,
    CertificateKind,
    CertificateState,
    CorrectionState,
    ExpectedGraduate,
    OutcomeList,
    ReplacementAttestation,
)
from diploma.services.annotations import attestation_issue, completion_exchange, minor_annotate
from diploma.services.certificates import certificates_register
from diploma.services.corrections import (
    CORRECTABLE,
    CorrectionInput,
    certificate_revoke,
    correction_approve,
    correction_reject,
    correction_request,
    shown_value,
)
from diploma.services.graduates import expected_graduates_build
from diploma.services.numbers import NumberOrder
from registrar import codes
from registrar.admin_base import ScopedAdmin
from registrar.admin_batches import BatchAdmin
from registrar.errors import REFUSALS
from registrar.models import BatchKind
from registrar.roles import STAFF_ROLES, is_registrar, role_of
from registrar.sheets.cells import parse_date


@admin.register(OutcomeList)
class OutcomeListAdmin(BatchAdmin):
    kind = BatchKind.GRADUATION_OUTCOME


def _date(request: HttpRequest, name: str) -> datetime.date | None:
    try:
        return parse_date(request.POST.get(name, ""))
    except ValueError:
        return None


def _page(admin_: admin.ModelAdmin, request: HttpRequest, template: str, **values: Any) -> TemplateResponse:
    context = {**admin_.admin_site.each_context(request), "opts": admin_.model._meta, **values}
    return TemplateResponse(request, template, context)


@admin.register(ExpectedGraduate)
class ExpectedGraduateAdmin(ScopedAdmin):
    """预计毕业生: built by the registrar from in-school students; outcomes come from the approved lists."""

    editable = False
    list_display = [
        "student_number",
        "student_name",
        "college",
        "major",
        "level",
        "graduation_date",
        "outcome",
    ]
    list_filter = ["graduation_year", "outcome", "level", ("college", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["student", "college", "major"]
    search_fields = ["student__student_number", "student__name"]
    change_list_template = "diploma/admin/graduate_changelist.html"

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, graduate: ExpectedGraduate) -> str:
        return graduate.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, graduate: ExpectedGraduate) -> str:
        return graduate.student.name

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("build/", view(self.build_view), name="diploma_expectedgraduate_build"),
            path("statistics/", view(self.statistics_view), name="diploma_expectedgraduate_statistics"),
            *super().get_urls(),
        ]

    def build_view(self, request: HttpRequest) -> HttpResponse:
        """生成预计毕业生名单 (DIP-10): in-school students by expected graduation date; idempotent."""
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以生成预计毕业生名单"))
        year = timezone.localdate().year
        if request.method == "POST":
            text = request.POST.get("year", "")
            if not (text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
                messages.error(request, _("请填写毕业年份（四位数字）"))
            else:
                added = expected_graduates_build(actor=request.user, graduation_year=int(text))
                messages.success(request, _("已列入%(n)d名预计毕业生") % {"n": added})
                return redirect("admin:diploma_expectedgraduate_changelist")
        return _page(self, request, "diploma/admin/build.html", title=_("生成预计毕业生名单"), year=year)

    def statistics_view(self, request: HttpRequest) -> HttpResponse:
        """毕业生统计 by college, major, level and outcome, scoped; also as xlsx."""
        text = request.GET.get("year", "")
        year = (
            int(text) if text.isascii() and text.isdigit() and len(text) == 4 else timezone.localdate().year
        )
        rows = graduation_statistics(self.get_queryset(request).filter(graduation_year=year))
        return _page(
            self,
            request,
            "diploma/admin/statistics.html",
            title=_("%(year)s届毕业生统计") % {"year": year},
            year=year,
            rows=[statistics_cells(r) for r in rows],
            total=statistics_cells(statistics_total(rows)),
        )


class AnnotationInline(admin.TabularInline):
    model = CertificateAnnotation
    fields = ["annotated_on", "kind", "text", "document_number"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return role_of(request.user) in STAFF_ROLES

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@dataclass(frozen=True)
class Decision:
    """A decision page on one registered certificate: its title, its fields and the service it calls."""

    title: str
    template_fields: tuple[str, ...]
    act: Callable[[HttpRequest, Certificate], Any]
    done: str


def _revoke(request: HttpRequest, certificate: Certificate) -> Any:
    return certificate_revoke(
        actor=request.user,
        certificate_id=certificate.pk,
        decided_on=_date(request, "day"),
        reason=request.POST.get("reason", ""),
        document_number=request.POST.get("document_number", ""),
    )


def _correct(request: HttpRequest, certificate: Certificate) -> Any:
    field = request.POST.get("field", "")
    return correction_request(
        actor=request.user,
        certificate_id=certificate.pk,
        data=CorrectionInput(
            changes={field: request.POST.get("value", "")} if field else {},
            reason=request.POST.get("reason", ""),
            evidence_note=request.POST.get("evidence_note", ""),
            evidence=request.FILES.get("evidence"),
        ),
    )


def _attest(request: HttpRequest, certificate: Certificate) -> Any:
    return attestation_issue(
        actor=request.user,
        certificate_id=certificate.pk,
        issued_on=_date(request, "day"),
        reason=request.POST.get("reason", ""),
        document_number=request.POST.get("document_number", ""),
    )


def _minor(request: HttpRequest, certificate: Certificate) -> Any:
    return minor_annotate(
        actor=request.user,
        certificate_id=certificate.pk,
        minor_major=request.POST.get("minor_major", ""),
        annotated_on=_date(request, "day"),
        document_number=request.POST.get("document_number", ""),
        note=request.POST.get("reason", ""),
    )


def _exchange(request: HttpRequest, certificate: Certificate) -> Any:
    return completion_exchange(
        actor=request.user,
        certificate_id=certificate.pk,
        decided_on=_date(request, "day"),
        document_number=request.POST.get("document_number", ""),
        reason=request.POST.get("reason", ""),
    )


DECISIONS = {
    "revoke": Decision(
        gettext_lazy("注销学历证书"),
        ("day", "reason", "document_number"),
        _revoke,
        gettext_lazy("证书已注销"),
    ),
    "correct": Decision(
        gettext_lazy("申请更正学历证书"),
        ("field", "reason", "evidence"),
        _correct,
        gettext_lazy("更正申请已登记，待省级教育行政部门批准后更正"),
    ),
    "attest": Decision(
        gettext_lazy("出具证明书（证书遗失）"),
        ("day", "reason", "document_number"),
        _attest,
        gettext_lazy("证明书已出具并备注"),
    ),
    "minor": Decision(
        gettext_lazy("登记辅修"),
        ("day", "minor_major", "reason", "document_number"),
        _minor,
        gettext_lazy("辅修已备注"),
    ),
    "exchange": Decision(
        gettext_lazy("结业换发毕业证书"),
        ("day", "reason", "document_number"),
        _exchange,
        gettext_lazy("已换发毕业证书，证书编号不变"),
    ),
}


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    """学历证书: read-only records; registration and every later decision are pages of their own (DIP-6)."""

    editable = False
    list_display = [
        "certificate_number",
        "name",
        "student_number",
        "kind",
        "state",
        "college",
        "major_name",
        "issued_on",
        "version",
    ]
    list_filter = ["state", "kind", "graduation_year", "level", ("college", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["college"]
    search_fields = ["certificate_number", "student_number", "name"]
    exclude = ["id_number"]
    readonly_fields = ["masked_id_number", "decisions"]
    inlines = [AnnotationInline]
    change_list_template = "diploma/admin/certificate_changelist.html"

    @admin.display(description=gettext_lazy("证件号码"))
    def masked_id_number(self, certificate: Certificate) -> str:
        from registrar.idcard import mask

        return mask(certificate.id_number)

    @admin.display(description=gettext_lazy("办理"))
    def decisions(self, certificate: Certificate) -> str:
        if certificate.state != CertificateState.REGISTERED:
            return "—"
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse(f"admin:diploma_certificate_{name}", args=[certificate.pk]),
                d.title,
            )
            for name, d in DECISIONS.items()
            if name != "exchange" or certificate.kind == "completion"
        ]
        return format_html(" | ".join(["{}"] * len(links)), *links)

    def get_urls(self):
        view = self.admin_site.admin_view
        decision_urls = [
            path(f"<int:pk>/{name}/", view(self._decision_view(name)), name=f"diploma_certificate_{name}")
            for name in DECISIONS
        ]
        return [
            path("register/", view(self.register_view), name="diploma_certificate_register"),
            *decision_urls,
            *super().get_urls(),
        ]

    def register_view(self, request: HttpRequest) -> HttpResponse:
        """学历证书电子注册 (DIP-5, DIP-10): every pre-checked certificate whose graduation date has come."""
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以注册学历证书"))
        if request.method == "POST":
            order = request.POST.get("order", "")
            if order not in NumberOrder.values:
                messages.error(request, _("请选择编号顺序"))
            else:
                try:
                    count = certificates_register(actor=request.user, order=order)
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("已注册%(n)d份学历证书") % {"n": count})
                    return redirect("admin:diploma_certificate_changelist")
        levels, kinds = dict(codes.Level.choices), dict(CertificateKind.choices)
        waiting = (
            Certificate.objects.filter(state=CertificateState.PRECHECKED)
            .values("graduation_date", "level", "kind")
            .annotate(n=Count("pk"))
            .order_by("graduation_date", "level", "kind")
        )
        return _page(
            self,
            request,
            "diploma/admin/register.html",
            title=_("学历证书电子注册"),
            waiting=[
                {**w, "level": levels.get(w["level"], w["level"]), "kind": kinds.get(w["kind"], w["kind"])}
                for w in waiting
            ],
            today=timezone.localdate(),
            orders=NumberOrder.choices,
        )

    def _decision_view(self, name: str) -> Callable[..., HttpResponse]:
        decision = DECISIONS[name]

        def decision_view(request: HttpRequest, pk: int) -> HttpResponse:
            certificate = self.get_queryset(request).filter(pk=pk).first()
            if certificate is None:
                raise Http404(_("学历证书不存在"))
            if not is_registrar(request.user):
                raise PermissionDenied(_("只有教务处可以办理"))
            if request.method == "POST":
                try:
                    decision.act(request, certificate)
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, str(decision.done))
                    return redirect("admin:diploma_certificate_change", certificate.pk)
            return _page(
                self,
                request,
                "diploma/admin/decision.html",
                title=decision.title,
                certificate=certificate,
                fields=decision.template_fields,
                correctable=[(k, label) for k, (label, _check) in CORRECTABLE.items()],
                today=timezone.localdate(),
            )

        return decision_view


@admin.register(CertificateCorrection)
class CorrectionAdmin(ScopedAdmin):
    """学历证书更正: cases waiting for the provincial authority, and their outcome (DIP-6)."""

    editable = False
    list_display = [
        "certificate",
        "state",
        "reason",
        "requested_at",
        "authority_document_number",
        "decided_on",
    ]
    list_filter = ["state"]
    list_select_related = ["certificate"]
    readonly_fields = ["decide"]

    @admin.display(description=gettext_lazy("办理"))
    def decide(self, correction: CertificateCorrection) -> str:
        if correction.state != CorrectionState.REQUESTED:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:diploma_correction_decide", args=[correction.pk]),
            _("登记省级审批结果"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="diploma_correction_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """登记省级教育行政部门的审批结果: approved (a new version supersedes) or refused (DIP-6)."""
        correction = self.get_queryset(request).filter(pk=pk).select_related("certificate").first()
        if correction is None:
            raise Http404(_("更正申请不存在"))
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以办理"))
        if request.method == "POST":
            try:
                if request.POST.get("decision") == "approve":
                    correction_approve(
                        actor=request.user,
                        correction_id=correction.pk,
                        authority=request.POST.get("authority", ""),
                        document_number=request.POST.get("document_number", ""),
                        approved_on=_date(request, "day"),
                        note=request.POST.get("note", ""),
                    )
                else:
                    correction_reject(
                        actor=request.user,
                        correction_id=correction.pk,
                        document_number=request.POST.get("document_number", ""),
                        decided_on=_date(request, "day"),
                        note=request.POST.get("note", ""),
                    )
            except REFUSALS as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("审批结果已登记"))
                return redirect("admin:diploma_certificatecorrection_changelist")
        labels = {k: str(label) for k, (label, _check) in CORRECTABLE.items()}
        changes = [
            (labels.get(k, k), shown_value(k, getattr(correction.certificate, k, "")), shown_value(k, v))
            for k, v in correction.changes.items()
        ]
        return _page(
            self,
            request,
            "diploma/admin/correction_decide.html",
            title=_("登记省级审批结果"),
            correction=correction,
            changes=changes,
            today=timezone.localdate(),
        )


@admin.register(ReplacementAttestation)
class AttestationAdmin(ScopedAdmin):
    """证明书 issued for lost certificates (DIP-7): a record, issued from the certificate's page."""

    editable = False
    list_display = ["number", "certificate", "issued_on", "document_number", "reason"]
    list_select_related = ["certificate"]
    search_fields = ["number", "certificate__certificate_number"]
