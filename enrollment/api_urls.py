from django.urls import include, path
from rest_framework.routers import DefaultRouter

from enrollment import api, api_corrections

app_name = "enrollment_api"

router = DefaultRouter()
# No ".json" suffix routes: the API speaks JSON only, and actions take no format argument.
router.include_format_suffixes = False
router.register("records", api.RecordViewSet, basename="record")
router.register("batches", api.BatchViewSet, basename="batch")
router.register("corrections", api_corrections.CorrectionViewSet, basename="correction")

urlpatterns = [
    path("imports/", api.ImportView.as_view(), name="import"),
    path("", include(router.urls)),
]
