"""The auditor's filter form: rule, college, state and period, with reasons in Chinese."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deadlines.models import ViolationState
from deadlines.selectors import ViolationFilter, rules_for
from registrar.models import College


class ViolationFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("时限规则"), required=False)
    college = forms.ModelChoiceField(label=_("院系"), queryset=College.objects.none(), required=False)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ViolationState.choices]
    )
    due_from = forms.DateField(
        label=_("截止日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("截止日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        codes = dict(rules_for(user).values_list("code", "name"))
        self.fields["rule"].choices = [("", _("全部")), *sorted(codes.items())]
        self.fields["college"].queryset = College.objects.for_user(user)

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            raise forms.ValidationError(_("截止日期的起始日不能晚于结束日"))
        return data

    def filters(self) -> ViolationFilter:
        data = self.cleaned_data
        return ViolationFilter(
            rule=data.get("rule") or None,
            college=data["college"].pk if data.get("college") else None,
            state=data.get("state") or None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )
