from programmes.models.application import Application, Attachment, BudgetLine, Event
from programmes.models.money import Disbursement, ExpenseLine, Grant, LedgerEntry
from programmes.models.programme import Criterion, DigitDay, Programme, Reviewer
from programmes.models.review import Review, Score

__all__ = [
    "Application",
    "Attachment",
    "BudgetLine",
    "Criterion",
    "DigitDay",
    "Disbursement",
    "Event",
    "ExpenseLine",
    "Grant",
    "LedgerEntry",
    "Programme",
    "Review",
    "Reviewer",
    "Score",
]
