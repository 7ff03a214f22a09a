"""Read-only API of deadlines: violations, rules, notices and the per-college counts. Scoped per user."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from deadlines.models import DeadlineNotice, DeadlineRule, DeadlineViolation
from deadlines.selectors import notices_for, rules_for, violation_counts_by_college, violations_for
from registrar.roles import STAFF_ROLES, role_of


class IsStaffRole(permissions.BasePermission):
    message = "仅限教职工查看"

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) in STAFF_ROLES


class DeadlineViolationSerializer(serializers.ModelSerializer):
    rule_code = serializers.CharField(source="rule.code", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = DeadlineViolation
        fields = [
            "id",
            "rule_code",
            "rule_name",
            "subject_type",
            "subject_id",
            "college",
            "clock_start",
            "due_date",
            "provisional",
            "done_on",
            "days_late",
            "state",
            "state_display",
            "opened_on",
            "changed_on",
        ]


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "clock",
            "unit",
            "length",
            "fixed_day",
            "enabled",
            "policy",
            "school",
            "rule_ids",
        ]


class DeadlineNoticeSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)

    class Meta:
        model = DeadlineNotice
        fields = [
            "id",
            "college",
            "rule_name",
            "created_on",
            "first_due_date",
            "subject_count",
            "provisional",
        ]


class ViolationFilterSet(filters.FilterSet):
    rule = filters.CharFilter(field_name="rule__code")
    due_from = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = DeadlineViolation
        fields = ["rule", "college", "state", "due_from", "due_to"]


class DeadlineViolationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineViolationSerializer
    permission_classes = [IsStaffRole]
    filterset_class = ViolationFilterSet

    def get_queryset(self):
        return violations_for(self.request.user)


class DeadlineRuleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineRuleSerializer
    permission_classes = [IsStaffRole]

    def get_queryset(self):
        return rules_for(self.request.user)


class DeadlineNoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineNoticeSerializer
    permission_classes = [IsStaffRole]

    def get_queryset(self):
        return notices_for(self.request.user)


class CollegeCountsSerializer(serializers.Serializer):
    college_id = serializers.IntegerField()
    college__code = serializers.CharField()
    college__name = serializers.CharField()
    open = serializers.IntegerField(help_text="逾期未办")
    resolved = serializers.IntegerField(help_text="逾期办结")
    withdrawn = serializers.IntegerField(help_text="已撤销")
    total = serializers.IntegerField()


class ViolationCountsView(APIView):
    """Counts of violations per college, with the same filters as the list."""

    permission_classes = [IsStaffRole]

    @extend_schema(responses=CollegeCountsSerializer(many=True))
    def get(self, request: Request) -> Response:
        filterset = ViolationFilterSet(request.query_params, queryset=violations_for(request.user))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return Response(violation_counts_by_college(filterset.qs))
