"""Pages of 学籍记载, identity changes and the annual files (QRY-1, ANN-7, ANN-8, ANN-11, ANN-12)."""

from django.urls import path

from annual_registration import views_records as views

app_name = "annual_records"

urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("me/identity-change/", views.file_identity_change, name="identity-change"),
    path("exports/annual-registration.<str:fmt>", views.annual_file, name="annual-file"),
    path("exports/status-changes.<str:fmt>", views.change_file, name="change-file"),
    path("exports/statistics.xlsx", views.statistics_file, name="statistics-file"),
]
