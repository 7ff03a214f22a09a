from django.urls import path

from enrollment import views

app_name = "enrollment"

urlpatterns = [
    path("me/", views.my_registration, name="me"),
    path("me/confirm/", views.confirm, name="confirm"),
    path("me/report/", views.report_error, name="report"),
    path("exports/registration.<str:fmt>", views.registration_file, name="registration-file"),
    path("exports/statistics.xlsx", views.statistics_file, name="statistics-file"),
    path("templates/admissions.xlsx", views.admission_template, name="admission-template"),
]
