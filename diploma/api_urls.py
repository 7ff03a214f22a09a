from django.urls import include, path

from diploma import api, api_photos
from registrar.api_router import ApiRouter

app_name = "diploma_api"

router = ApiRouter()
router.register("graduates", api.GraduateViewSet, basename="graduate")
router.register("outcome-lists", api.OutcomeListViewSet, basename="outcome-list")
router.register("certificates", api.CertificateViewSet, basename="certificate")
router.register("corrections", api.CorrectionViewSet, basename="correction")
router.register("photos", api_photos.PhotoCaptureViewSet, basename="photo")
router.register("precheck", api_photos.PrecheckViewSet, basename="precheck")

urlpatterns = [path("", include(router.urls))]
