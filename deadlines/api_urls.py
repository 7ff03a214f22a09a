from django.urls import path

from deadlines import api
from registrar.api_router import ApiRouter

app_name = "deadlines_api"

router = ApiRouter()
router.register("violations", api.DeadlineViolationViewSet, basename="violation")
router.register("rules", api.DeadlineRuleViewSet, basename="rule")
router.register("notices", api.DeadlineNoticeViewSet, basename="notice")

urlpatterns = [
    path("violation-counts/", api.ViolationCountsView.as_view(), name="violation-counts"),
    *router.urls,
]
