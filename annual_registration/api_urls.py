from django.urls import include, path

from annual_registration import api
from registrar.api_router import ApiRouter

app_name = "annual_api"

router = ApiRouter()
router.register("registrations", api.RegistrationViewSet, basename="registration")
router.register("lists", api.AnnualListViewSet, basename="list")

urlpatterns = [
    path("fees/", api.FeeImportView.as_view(), name="fees"),
    path("", include(router.urls)),
]
