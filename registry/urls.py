"""Staff-only registry pages outside the admin, mounted at /registry/."""

from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
]
