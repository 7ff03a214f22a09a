"""The student's photo check (DIP-9, JL28(一)) and the pre-check's pages (DIP-10)."""

from django.urls import path

from diploma import views_photos, views_precheck

app_name = "diploma_photos"

urlpatterns = [
    path("me/photo/", views_photos.my_photo_page, name="me"),
    path("me/photo.jpg", views_photos.my_photo_image, name="image"),
    path("me/photo/confirm/", views_photos.confirm, name="confirm"),
    path("me/photo/report/", views_photos.report, name="report"),
    path("precheck/", views_precheck.precheck_page, name="precheck"),
    path("precheck.xlsx", views_precheck.precheck_file, name="precheck-file"),
]
