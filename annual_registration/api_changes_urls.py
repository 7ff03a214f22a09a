"""Routes of status changes in the API, mounted under ``api/annual/`` next to ``api_urls``."""

from django.urls import include, path

from annual_registration import api_changes
from registrar.api_router import ApiRouter

app_name = "annual_changes_api"

router = ApiRouter()
router.register("changes", api_changes.StatusChangeViewSet, basename="change")
router.register("change-kinds", api_changes.KindSettingViewSet, basename="change-kind")
router.register("change-lists", api_changes.ChangeListViewSet, basename="change-list")

urlpatterns = [path("", include(router.urls))]
