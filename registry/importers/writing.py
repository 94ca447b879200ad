"""What the district and store imports share when they write: batches, history, access log."""

from collections.abc import Callable
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _

from core.audit import access_log
from core.choices import AccessAction

from .results import ImportResult

BATCH_SIZE = 1000

Progress = Callable[[int, int], None]


def assign(instance: models.Model, values: dict) -> list[str]:
    """Set the values that differ from the instance's; return the names of those fields."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def change_reason(filename: str) -> str:
    if filename:
        return _("Imported from %(file)s") % {"file": Path(filename).name}
    return _("Imported")


def import_log(user, model: type[models.Model], filename: str, result: ImportResult) -> None:
    """Imported rows hold names and phone numbers: the change goes to the access log (SPEC 5)."""
    if result.changed:
        access_log(
            user=user,
            action=AccessAction.CHANGE,
            model=model._meta.label,
            detail=_("Import of %(file)s: %(summary)s")
            % {"file": Path(filename).name or "-", "summary": result.summary()},
        )


def progress_report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
