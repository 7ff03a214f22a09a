from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from registrar import api, batch_views, uploads, views
from registrar.api_router import ApiRouter

router = ApiRouter()
router.register("colleges", api.CollegeViewSet, basename="college")
router.register("majors", api.MajorViewSet, basename="major")
router.register("students", api.StudentViewSet, basename="student")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("me/", views.student_me, name="student-me"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/audit/", include("deadlines.admin_urls")),  # the deadline pages' former address
    path("admin/", admin.site.urls),
    path("batches/<int:batch_id>/", batch_views.batch_page, name="batch-page"),
    path("batches/<int:batch_id>/template.xlsx", batch_views.batch_template, name="batch-template"),
    path(
        "batches/<int:batch_id>/attachments/<int:attachment_id>/",
        batch_views.batch_attachment,
        name="batch-attachment",
    ),
    path("uploads/progress/<slug:token>/", uploads.progress, name="upload-progress"),
    path("uploads/errors/<slug:token>.xlsx", uploads.error_file, name="upload-errors"),
    path("enrollment/", include("enrollment.urls")),
    path("annual/", include("annual_registration.urls_records")),
    path("diploma/", include("diploma.urls_photos")),
    path("diploma/", include("diploma.urls")),
    path("audit/", include("deadlines.urls")),
    path("api/", include(router.urls)),
    path("api/enrollment/", include("enrollment.api.urls")),
    path("api/annual/", include("annual_registration.api_urls")),
    path("api/annual/", include("annual_registration.api_changes_urls")),
    path("api/audit/", include("deadlines.api_urls")),
    path("api/diploma/", include("diploma.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from this server (sidecar), its start-up script a file of its own: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

# Error pages in Chinese, in the staff pages' look for staff (registrar/error_pages.py, issue 10, item 1).
handler403 = "registrar.error_pages.permission_denied"
handler404 = "registrar.error_pages.page_not_found"
