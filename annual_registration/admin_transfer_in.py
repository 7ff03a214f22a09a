"""转学（转入） on the staff pages (ANN-4): the college files the person coming in; approval creates the student.

The page of ``StatusChangeAdmin`` at ``…/statuschange/transfer-in/``: the form
names the person (identity as their id document says), the 学号 and major the
college gives them, and the school they come from; ``transfer_in_file`` checks
it all and refuses with every reason at once. Staff pick only their own majors.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.services.transfer_in import incoming_from, transfer_in_file
from registrar import codes
from registrar.errors import REFUSALS
from registrar.models import College, Major, User
from registrar.roles import can_write

DATE = forms.DateInput(attrs={"type": "date"})


class TransferInForm(forms.Form):
    """提出转学（转入）: who is coming, from which school, and their place here."""

    other_school = forms.CharField(label=gettext_lazy("原学校"), max_length=100)
    reason = forms.CharField(
        label=gettext_lazy("转入原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), choices=[("", "---------"), *codes.Gender.choices])
    ethnicity = forms.ChoiceField(label=gettext_lazy("民族"), choices=codes.Ethnicity.choices)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), widget=DATE)
    id_type = forms.ChoiceField(label=gettext_lazy("证件类型"), choices=codes.IdType.choices)
    id_number = forms.CharField(label=gettext_lazy("证件号码"), max_length=30)
    exam_number = forms.CharField(label=gettext_lazy("考生号"), max_length=20, required=False)
    student_number = forms.CharField(label=gettext_lazy("学号（本校）"), max_length=20)
    major = forms.ModelChoiceField(label=gettext_lazy("转入专业"), queryset=Major.objects.none())
    entry_date = forms.DateField(label=gettext_lazy("入学日期"), widget=DATE)
    grade = forms.IntegerField(label=gettext_lazy("年级"), min_value=1950, max_value=2100, required=False)
    program_years = forms.DecimalField(
        label=gettext_lazy("学制"),
        max_digits=3,
        decimal_places=1,
        min_value=1,
        max_value=10,
        required=False,
        help_text=gettext_lazy("空表示按专业学制"),
    )
    expected_graduation_date = forms.DateField(
        label=gettext_lazy("预计毕业日期"), required=False, widget=DATE
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        colleges = College.objects.for_user(user)
        self.fields["major"].queryset = Major.objects.filter(college__in=colleges).select_related("college")
        self.fields["major"].label_from_instance = lambda m: f"{m.college.name} {m.name}（{m.code}）"


def transfer_in_view(model_admin, request: HttpRequest) -> HttpResponse:
    """The form, then the draft case's page; every refusal as a message with its reasons."""
    if not can_write(request.user):
        raise PermissionDenied
    form = TransferInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person, given = incoming_from(form.cleaned_data)
            change = transfer_in_file(actor=request.user, person=person, given=given)
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存为草稿，请核对后提交教务处；批准后为其建立本校学籍"))
            return redirect("admin:annual_registration_statuschange_detail", change_id=change.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("转学（转入）"),
        "form": form,
    }
    return TemplateResponse(request, "annual_registration/admin/transfer_in.html", context)
