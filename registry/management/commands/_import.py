"""What `import_districts` and `import_stores` share: arguments, progress bar, report."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from tqdm import tqdm

from registry.importers import IMPORTERS, ImportRefused
from registry.models import Office


class ImportCommand(BaseCommand):
    kind: str = ""

    def add_arguments(self, parser):
        parser.add_argument("office_code", help=_("The office's five-digit administrative code."))
        parser.add_argument("file", help=_("A CSV (UTF-8 or CP949) or XLSX file."))
        parser.add_argument(
            "--user", help=_("Username recorded in the history as the one who imported.")
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not show a progress bar.")
        )

    def handle(self, *args, office_code: str, file: str, user=None, no_progress=False, **options):
        office = Office.objects.filter(code=office_code).first()
        if office is None:
            raise CommandError(
                _("No office has the code %(code)s; create it with create_office first.")
                % {"code": office_code}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        bar = _Bar(disabled=no_progress or not sys.stderr.isatty())
        try:
            result = IMPORTERS[self.kind](
                office=office,
                source=path,
                user=self._user(user),
                progress=bar.update,
                filename=path.name,
            )
        except ImportRefused as exc:
            bar.close()
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file was refused: %(count)s problem(s). Nothing was written.")
                % {"count": len(exc.row_errors)}
            ) from exc
        except IntegrityError as exc:
            bar.close()
            raise CommandError(
                _(
                    "The records changed while the file was imported; nothing was written. "
                    "Run it again."
                )
            ) from exc
        bar.close()
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(name)s.") % {"name": username})
        return user


class _Bar:
    """A tqdm bar opened on the first report, once the number of rows is known."""

    def __init__(self, disabled: bool):
        self.disabled = disabled
        self.bar = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, unit=_("rows"), disable=self.disabled, file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
