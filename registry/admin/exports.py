"""Each user's list downloads made in the background (core.admin.export_jobs)."""

from django.contrib import admin

from core.admin.export_jobs import ExportJobAdmin
from registry.models import ExportJob

admin.site.register(ExportJob, ExportJobAdmin)
