"""Every write of the hotline: intake, moves along the state machine, assignments, referrals,
replies, notes and corrections, and the office's settings; one module per concept, every name
importable from `hotline.services`.

Each function owns its transaction, locks the case row (the one entry point is `case_lock`),
writes its timeline entry in the same transaction, and recomputes the stored due instants
whenever what they depend on changes.
"""

from .common import case_lock
from .corrections import UPDATABLE, case_update, case_waits
from .intake import case_intake
from .moves import case_assign, case_transition
from .settings import SETTINGS_FIELDS, closed_day_save, hotline_settings_save
from .timeline import case_note, case_refer, case_reply

__all__ = [
    "SETTINGS_FIELDS",
    "UPDATABLE",
    "case_assign",
    "case_intake",
    "case_lock",
    "case_note",
    "case_refer",
    "case_reply",
    "case_transition",
    "case_update",
    "case_waits",
    "closed_day_save",
    "hotline_settings_save",
]
