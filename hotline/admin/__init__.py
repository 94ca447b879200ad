"""The supervisors' admin: cases with overdue flags and filters, bulk assignment, each case's
timeline inline with its moves behind buttons (cases.py, filters.py); the office's hotline
settings and closed days (settings.py).

Every change goes through the services. The overdue flag is computed by the database for the
whole list (`selectors.with_overdue`); the caller's contacts are masked unless the user may see
them, and seeing them is written to the access log.
"""

from hotline.admin.cases import CaseAdmin, TimelineInline
from hotline.admin.settings import ClosedDayAdmin, HotlineSettingsAdmin

__all__ = ["CaseAdmin", "ClosedDayAdmin", "HotlineSettingsAdmin", "TimelineInline"]
