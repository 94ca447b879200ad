"""What an import tells its caller: the problems that refused a file, or what it wrote."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.choices import ImportKind


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the line it is on (the header is line 1), a code, the reason."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "message": self.message}


class ImportRefused(ValidationError):
    """The file was refused and nothing was written; `row_errors` names every bad line."""

    def __init__(self, errors: Iterable[RowError]):
        self.row_errors = sorted(errors, key=lambda e: e.line)
        super().__init__([str(e) for e in self.row_errors], code="import_refused")


@dataclass
class ImportResult:
    """What a committed import did, row by row and to memberships and affiliations."""

    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_opened: int = 0
    memberships_ended: int = 0
    affiliations_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        text = _(
            "%(total)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.kind == ImportKind.STORES:
            text += " " + _(
                "Memberships: %(opened)s opened, %(ended)s ended. Affiliations: %(added)s added."
            ) % {
                "opened": self.memberships_opened,
                "ended": self.memberships_ended,
                "added": self.affiliations_added,
            }
        return text
