from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.weekly_report, name="report"),
    path("report.pdf", views.weekly_report, {"pdf": True}, name="report-pdf"),
]
