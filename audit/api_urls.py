from django.urls import path
from rest_framework.routers import DefaultRouter

from audit import api

app_name = "audit_api"

router = DefaultRouter()
# No ".json" suffix routes: the API speaks JSON only, and actions take no format argument.
router.include_format_suffixes = False
router.register("violations", api.DeadlineViolationViewSet, basename="violation")
router.register("rules", api.DeadlineRuleViewSet, basename="rule")
router.register("notices", api.DeadlineNoticeViewSet, basename="notice")

urlpatterns = [
    path("violation-counts/", api.ViolationCountsView.as_view(), name="violation-counts"),
    *router.urls,
]
