from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("violations.xlsx", views.violations_export, name="violations-export"),
]
