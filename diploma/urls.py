"""The student's 学历注册 page and the staff's diploma files (QRY-1, item 6)."""

from django.urls import path

from diploma import views

app_name = "diploma"

urlpatterns = [
    path("me/", views.my_diploma, name="me"),
    path("exports/certificates.<str:fmt>", views.certificate_file, name="certificate-file"),
    path("exports/statistics.xlsx", views.statistics_file, name="statistics-file"),
]
