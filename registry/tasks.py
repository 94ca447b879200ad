"""The registry's background tasks, run by the worker process (`manage.py db_worker`).

Each task takes the id of the job row that records its work and the language of the user who
started it, loads the job and hands it to the service that does the work. The job row, not the
task's return value, is what the user sees (registry.jobs).
"""

from django.tasks import task
from django.utils import translation

from registry.models import ImportJob


@task
def import_job_task(job_id: int, language: str | None) -> str:
    """Run an import a clerk started in the admin (SPEC 2.6); return the job's final status."""
    # The importers queue this task, so they are imported when it runs, not before.
    from registry.importers import import_job_run

    with translation.override(language):
        job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
        return import_job_run(job=job).status
