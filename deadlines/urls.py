from django.urls import path

from deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("violations.xlsx", views.violations_export, name="violations-export"),
]
