from django.urls import path  # noqa: F401

app_name = "enrollment_api"
urlpatterns: list = []
