from django.urls import include, path

from annual_registration import api, api_check_ins, api_records
from registrar.api_router import ApiRouter

app_name = "annual_api"

router = ApiRouter()
router.register("registrations", api.RegistrationViewSet, basename="registration")
router.register("lists", api.AnnualListViewSet, basename="list")
# 学籍记载, identity changes, the statistics table's reports, the student's archive (api_records).
router.register("awards", api_records.AwardViewSet, basename="award")
router.register("punishments", api_records.PunishmentViewSet, basename="punishment")
router.register("certificates", api_records.CertificateViewSet, basename="certificate")
router.register("identity-changes", api_records.IdentityChangeViewSet, basename="identity-change")
router.register("statistics-reports", api_records.StatisticsReportViewSet, basename="statistics-report")
router.register("archives", api_records.ArchiveViewSet, basename="archive")
router.register("check-ins", api_check_ins.TermCheckInViewSet, basename="check-in")

urlpatterns = [
    path("fees/", api.FeeImportView.as_view(), name="fees"),
    path("statistics/", api_records.StatisticsView.as_view(), name="statistics"),
    path("", include(router.urls)),
]
