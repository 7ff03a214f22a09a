"""The staff workbench (issue 10, items 1 and 2): the sidebar of each role and the home page of each role.

The sidebar lists the pages a role may use, in the order its work goes; a model's page is shown only
when its admin lets this user view it, so the sidebar never offers a refusal. The home page is made
of sections that the apps add (``home_section``, called from their ``AppConfig.ready``), the way they
register batch kinds and deadline kinds: the core names no domain app's models. Each section reads
its counts through one scoped query (``for_user``), so college staff never see another college's.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrar.models import Batch, BatchState, Notice
from registrar.roles import Role, role_of

# ---------------------------------------------------------------- the sidebar


@dataclass(frozen=True)
class Link:
    """One entry of the sidebar: a model's list (``model``, "app.model") or a named page (``url``)."""

    title: Any
    icon: str
    model: str = ""
    url: str = ""
    roles: Sequence[str] = ()  # for a named page: who may open it (a model's page asks its admin)


@dataclass(frozen=True)
class Group:
    title: Any
    links: Sequence[Link]
    #: Roles for whom this group comes first (the auditor starts from the deadlines and the audit trail).
    first_for: Sequence[str] = ()


REGISTRAR_OFFICE = (Role.REGISTRAR, Role.ADMIN)
WRITERS = (Role.REGISTRAR, Role.ADMIN, Role.COLLEGE_STAFF)
STAFF = (*WRITERS, Role.AUDITOR)

SIDEBAR: tuple[Group, ...] = (
    Group(
        gettext_lazy("工作台"),
        (
            Link(gettext_lazy("首页"), "space_dashboard", url="admin:index", roles=STAFF),
            Link(gettext_lazy("通知"), "notifications", model="registrar.notice"),
        ),
    ),
    Group(
        gettext_lazy("新生学籍注册"),
        (
            Link(gettext_lazy("录取数据"), "person_search", model="enrollment.admissionrecord"),
            Link(
                gettext_lazy("导入录取数据"),
                "upload_file",
                url="admin:enrollment_admissionrecord_import",
                roles=REGISTRAR_OFFICE,
            ),
            Link(gettext_lazy("入学资格审查名单"), "fact_check", model="enrollment.reviewbatch"),
            Link(gettext_lazy("录取数据更正申请"), "edit_note", model="enrollment.correctionrequest"),
            Link(gettext_lazy("学生报告的信息错误"), "report", model="enrollment.datareport"),
        ),
    ),
    Group(
        gettext_lazy("学年注册与学籍异动"),
        (
            Link(gettext_lazy("学年注册"), "how_to_reg", model="annual_registration.annualregistration"),
            Link(gettext_lazy("学年注册名单"), "checklist", model="annual_registration.annuallist"),
            Link(gettext_lazy("学期报到注册"), "event_available", model="annual_registration.termcheckin"),
            Link(gettext_lazy("学籍异动"), "swap_horiz", model="annual_registration.statuschange"),
            Link(gettext_lazy("学籍异动名单"), "list_alt", model="annual_registration.changelist"),
            Link(
                gettext_lazy("学籍信息变更申请"), "badge", model="annual_registration.identitychangerequest"
            ),
            Link(gettext_lazy("奖励"), "military_tech", model="annual_registration.award"),
            Link(gettext_lazy("处分"), "gavel", model="annual_registration.punishment"),
            Link(
                gettext_lazy("其他证书"), "workspace_premium", model="annual_registration.issuedcertificate"
            ),
            Link(gettext_lazy("学籍档案"), "folder_shared", model="annual_registration.studentarchive"),
            Link(gettext_lazy("统计表报送"), "bar_chart", model="annual_registration.statisticsreport"),
        ),
    ),
    Group(
        gettext_lazy("学历证书电子注册"),
        (
            Link(gettext_lazy("预计毕业生"), "school", model="diploma.expectedgraduate"),
            Link(gettext_lazy("毕业结论名单"), "checklist_rtl", model="diploma.outcomelist"),
            Link(gettext_lazy("图像采集与校对"), "photo_camera", model="diploma.photocapture"),
            Link(gettext_lazy("补拍名单"), "add_a_photo", url="admin:diploma_photo_retakes", roles=STAFF),
            Link(gettext_lazy("学历注册预审"), "rule", url="diploma_photos:precheck", roles=STAFF),
            Link(gettext_lazy("学历证书"), "workspace_premium", model="diploma.certificate"),
            Link(gettext_lazy("学历证书更正"), "edit_document", model="diploma.certificatecorrection"),
            Link(gettext_lazy("证明书"), "description", model="diploma.replacementattestation"),
        ),
    ),
    Group(
        gettext_lazy("时限与审计"),
        (
            Link(gettext_lazy("逾期情况"), "assignment_late", url="deadlines:dashboard", roles=STAFF),
            Link(gettext_lazy("逾期记录"), "running_with_errors", model="deadlines.deadlineviolation"),
            Link(gettext_lazy("时限提醒"), "alarm", model="deadlines.deadlinenotice"),
            Link(gettext_lazy("时限规则"), "rule", model="deadlines.deadlinerule"),
            Link(gettext_lazy("时限检查记录"), "manage_search", model="deadlines.deadlinescan"),
            Link(gettext_lazy("审计事件"), "history", model="audit.auditevent"),
            Link(gettext_lazy("个人数据导出记录"), "download", model="registrar.exportevent"),
        ),
        first_for=(Role.AUDITOR,),
    ),
    Group(
        gettext_lazy("基础数据"),
        (
            Link(gettext_lazy("学生"), "school", model="registrar.student"),
            Link(gettext_lazy("二级学院"), "domain", model="registrar.college"),
            Link(gettext_lazy("专业"), "menu_book", model="registrar.major"),
            Link(gettext_lazy("学年"), "calendar_month", model="registrar.academicyear"),
            Link(gettext_lazy("学期"), "date_range", model="registrar.term"),
            Link(gettext_lazy("法定节假日安排"), "event", model="registrar.scheduleyear"),
            Link(gettext_lazy("工作日调整"), "event_repeat", model="registrar.workdayoverride"),
            Link(gettext_lazy("学校"), "account_balance", model="registrar.school"),
            Link(gettext_lazy("异动类别设置"), "tune", model="annual_registration.changekindsetting"),
            Link(
                gettext_lazy("学籍信息变更设置"),
                "settings",
                model="annual_registration.identitychangesettings",
            ),
        ),
    ),
    Group(
        gettext_lazy("系统"),
        (
            Link(gettext_lazy("用户"), "manage_accounts", model="registrar.user"),
            Link(gettext_lazy("登录锁定"), "lock_person", model="registrar.signinlockout"),
            Link(gettext_lazy("待发任务"), "outbox", model="registrar.outboxmessage"),
        ),
    ),
)


def _address(name: str) -> str | None:
    """The address of a page without parameters, or None when there is none; reversed once per URL conf."""
    return _address_in(name, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=512)
def _address_in(name: str, urlconf: str | None, _prefix: str) -> str | None:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _link_target(request: HttpRequest, link: Link) -> str | None:
    """Where the link leads for this user, or ``None`` when the user may not open it."""
    if link.model:
        try:
            model = apps.get_model(link.model)
        except LookupError:
            return None
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not (
            model_admin.has_module_permission(request) and model_admin.has_view_or_change_permission(request)
        ):
            return None
        return _address(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    if role_of(request.user) not in link.roles:
        return None
    return _address(link.url)


def sidebar_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """unfold's ``SIDEBAR["navigation"]``: this user's groups of links, each only with what they may open.

    A page an app registers without a place in ``SIDEBAR`` still appears, under "其他", so that no
    page the user may use is out of reach.
    """
    role = role_of(request.user)
    groups = sorted((*SIDEBAR, _unlisted_pages()), key=lambda group: role not in group.first_for)
    navigation = []
    for group in groups:
        items = []
        for link in group.links:
            target = _link_target(request, link)
            if target is not None:
                items.append({"title": str(link.title), "icon": link.icon, "link": target})
        if items:
            navigation.append({"title": str(group.title), "separator": bool(navigation), "items": items})
    _mark_active(request.path, [item for group in navigation for item in group["items"]])
    return navigation


def _mark_active(path: str, items: list[dict[str, Any]]) -> None:
    """The one link the page is under: the longest that the path starts with (the import page is under
    导入录取数据, not also under 录取数据, whose address is a prefix of it); the home page only at home."""
    home = _address("admin:index")
    under = [
        item["link"]
        for item in items
        if path == item["link"] or (item["link"] != home and path.startswith(item["link"]))
    ]
    chosen = max(under, key=len, default=None)
    for item in items:
        item["active"] = item["link"] == chosen


def _unlisted_pages() -> Group:
    listed = {link.model for group in SIDEBAR for link in group.links if link.model}
    links = [
        Link(model._meta.verbose_name_plural, "article", model=model._meta.label_lower)
        for model in admin.site._registry
        if model._meta.label_lower not in listed
    ]
    return Group(gettext_lazy("其他"), sorted(links, key=lambda link: str(link.title)))


# ---------------------------------------------------------------- the home page


@dataclass
class HomeSection:
    """One panel of a role's home page: its template and what the template shows."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    width: str = "half"  # "half" or "full" of the page's width


SectionBuilder = Callable[[HttpRequest], "HomeSection | None"]
_SECTIONS: list[tuple[int, SectionBuilder]] = []


def home_section(order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a builder of a home-page section; it returns ``None`` for roles it does not serve."""

    def register(builder: SectionBuilder) -> SectionBuilder:
        _SECTIONS.append((order, builder))
        _SECTIONS.sort(key=lambda entry: entry[0])
        return builder

    return register


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """unfold's ``DASHBOARD_CALLBACK``: the sections of this user's home page, in order."""
    sections = [section for _order, build in _SECTIONS if (section := build(request)) is not None]
    context.update({"sections": sections, "role": role_of(request.user)})
    return context


def chart_options(*, stacked: bool = False) -> str:
    """Chart.js options of the home page's bar charts (unfold's chart component reads them as JSON):
    a legend, whole-number axes, and bars that stack when the datasets are parts of one whole."""
    axis = {"stacked": stacked, "grid": {"display": False}}
    return json.dumps(
        {
            "aspectRatio": 1.6,
            "plugins": {"legend": {"display": True, "position": "bottom", "labels": {"boxWidth": 10}}},
            "datasets": {"bar": {"borderRadius": 3, "maxBarThickness": 28}},
            "scales": {"x": axis, "y": {"stacked": stacked, "beginAtZero": True, "ticks": {"precision": 0}}},
        }
    )


def percent(part: int, whole: int) -> int:
    """A bar's width: ``part`` of ``whole`` in whole percent (0 when there is nothing)."""
    return round(100 * part / whole) if whole else 0


# ---------------------------------------------------------------- the core's sections


@home_section(order=10)
def lists_section(request: HttpRequest) -> HomeSection | None:
    """名单: college staff's drafts, returned lists (with the registrar's reason) and lists awaiting
    approval; the registrar's lists awaiting approval, oldest first."""
    role = role_of(request.user)
    if role not in WRITERS:
        return None
    open_states = [BatchState.DRAFT, BatchState.RETURNED, BatchState.SUBMITTED]
    if role == Role.COLLEGE_STAFF:
        batches = list(
            Batch.objects.for_user(request.user)
            .filter(state__in=open_states)
            .select_related("college", "term")
            .order_by("state", "-created_at")[:60]
        )
        groups = [
            (state, label, [b for b in batches if b.state == state])
            for state, label in (
                (BatchState.RETURNED, _("已退回，待修改后重新提交")),
                (BatchState.DRAFT, _("草稿，待提交")),
                (BatchState.SUBMITTED, _("已提交，待教务处审批")),
            )
        ]
        counts = _batch_counts(request, open_states)
        return HomeSection(
            "lists",
            _("本院名单"),
            "admin/workbench/lists_college.html",
            {"groups": groups, "counts": counts},
        )
    waiting = list(
        Batch.objects.for_user(request.user)
        .filter(state=BatchState.SUBMITTED)
        .select_related("college", "term", "submitted_by")
        .order_by("submitted_at", "pk")[:15]
    )
    counts = _batch_counts(request, [BatchState.SUBMITTED])
    return HomeSection(
        "lists",
        _("待审批的名单"),
        "admin/workbench/lists_registrar.html",
        {"waiting": waiting, "count": counts[BatchState.SUBMITTED]},
    )


def _batch_counts(request: HttpRequest, states: Sequence[str]) -> dict[str, int]:
    """How many of the user's lists are in each state: one query."""
    row = Batch.objects.for_user(request.user).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in states}
    )
    return {state: row[state] for state in states}


@home_section(order=90)
def notices_section(request: HttpRequest) -> HomeSection | None:
    """未读通知: the user's own unread notices (every staff member reads only their own)."""
    if role_of(request.user) not in STAFF:
        return None
    unread = Notice.objects.for_user(request.user).filter(read_at=None)
    latest = list(unread.order_by("-created_at", "-pk")[:5])
    count = len(latest) if len(latest) < 5 else unread.count()
    return HomeSection(
        "notices",
        _("未读通知"),
        "admin/workbench/notices.html",
        {"notices": latest, "count": count, "list_url": reverse("admin:registrar_notice_changelist")},
    )
