from django.urls import include, path

from enrollment import api, api_corrections
from registrar.api_router import ApiRouter

app_name = "enrollment_api"

router = ApiRouter()
router.register("records", api.RecordViewSet, basename="record")
router.register("batches", api.BatchViewSet, basename="batch")
router.register("corrections", api_corrections.CorrectionViewSet, basename="correction")

urlpatterns = [
    path("imports/", api.ImportView.as_view(), name="import"),
    path("", include(router.urls)),
]
