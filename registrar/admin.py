"""Staff pages for the core domain."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from registrar import admin_exports, admin_lockouts, admin_notices, admin_outbox  # noqa: F401 - 导出记录, 登录锁定, 通知, 待发任务
from registrar.admin_base import ScopedAdmin, ScopedHistoryAdmin, ThemedAdmin
from registrar.admin_idnumbers import IdNumberHistoryMasking
from registrar.idcard import mask
from registrar.models import (
    AcademicYear,
    College,
    Major,
    ScheduleYear,
    School,
    Student,
    Term,
    User,
    WorkdayOverride,
)
from registrar.roles import Role, role_of

admin.site.site_header = "学籍学历电子注册管理系统"
admin.site.site_title = "学籍学历电子注册"
admin.site.index_title = "工作台"


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    list_display = ["code", "name", "president_name", "credit_system", "term_check_in", "deadline_policy"]


@admin.register(College)
class CollegeAdmin(ScopedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Major)
class MajorAdmin(ScopedAdmin):
    list_display = ["code", "name", "college", "level", "program_years"]
    list_filter = ["level", "college"]
    search_fields = ["code", "name"]


@admin.register(AcademicYear)
class AcademicYearAdmin(ScopedAdmin):
    list_display = ["__str__"]


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["__str__", "start_date", "end_date"]


@admin.register(ScheduleYear)
class ScheduleYearAdmin(ScopedAdmin):
    list_display = ["year", "source"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ScopedAdmin):
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"


@admin.register(Student)
class StudentAdmin(IdNumberHistoryMasking, ScopedHistoryAdmin):
    """Read-only: a student's data changes only through the registration and change workflows."""

    editable = False
    list_display = [
        "student_number",
        "name",
        "gender",
        "masked_id_number",
        "college",
        "major",
        "student_status",
    ]
    list_filter = ["student_status", "college", "level"]
    search_fields = ["student_number", "name", "exam_number"]
    list_select_related = ["college", "major"]
    exclude = ["id_number"]
    readonly_fields = ["masked_id_number"]

    @admin.display(description="证件号码")
    def masked_id_number(self, obj: Student) -> str:
        return mask(obj.id_number)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ThemedAdmin):
    """Accounts are managed by admins only."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm

    list_display = ["username", "first_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    # Roles, not Django's groups and permissions, decide what a user may do (registrar/roles.py): the
    # permission pickers (English names of every model's rights) are left out.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("角色", {"fields": ("role", "colleges", "student")}),
        ("账号状态", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    raw_id_fields = ["student"]

    def _is_admin(self, request) -> bool:
        return role_of(request.user) == Role.ADMIN

    def has_module_permission(self, request) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Django's groups grant Django's permissions, which nothing here reads: roles decide (registrar/roles.py).
# Their page would only offer English permission names that change nothing.
admin.site.unregister(Group)
