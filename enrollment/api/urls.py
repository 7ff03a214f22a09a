from django.urls import include, path

from enrollment.api import batches, corrections, imports, records
from registrar.api_router import ApiRouter

app_name = "enrollment_api"

router = ApiRouter()
router.register("records", records.RecordViewSet, basename="record")
router.register("batches", batches.ReviewBatchViewSet, basename="batch")
router.register("corrections", corrections.CorrectionViewSet, basename="correction")

urlpatterns = [
    path("imports/", imports.ImportView.as_view(), name="import"),
    path("", include(router.urls)),
]
