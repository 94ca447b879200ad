"""The support programmes' share of the office roles (registry.roles gathers every app's share).

Clerks run programmes from call to refund; supervisors and auditors read them; reviewers see
the programmes they are assigned to and score (the admin narrows them to their assignments).
"""

from registry.roles import AUDITOR, CLERK, PROGRAMME_REVIEWER, SUPERVISOR

_MODELS = [
    "programme",
    "criterion",
    "digitday",
    "reviewer",
    "application",
    "budgetline",
    "attachment",
    "event",
    "review",
    "score",
    "grant",
    "disbursement",
    "expenseline",
    "ledgerentry",
]
_VIEW = [f"programmes.view_{model}" for model in _MODELS]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLERK: [
        *_VIEW,
        *(
            f"programmes.{action}_{model}"
            for model in (
                "programme",
                "criterion",
                "digitday",
                "reviewer",
                "application",
                "grant",
                "disbursement",
                "expenseline",
            )
            for action in ("add", "change")
        ),
        "programmes.delete_criterion",
        "programmes.delete_digitday",
        "programmes.delete_reviewer",
    ],
    SUPERVISOR: list(_VIEW),
    AUDITOR: list(_VIEW),
    PROGRAMME_REVIEWER: [
        "programmes.view_programme",
        "programmes.view_criterion",
        "programmes.view_application",
        "programmes.view_budgetline",
        "programmes.view_attachment",
        "programmes.view_review",
        "programmes.add_review",
        "programmes.view_score",
    ],
}


# Who reads every review and application of the office: the roles that read grants (clerks,
# supervisors, auditors) and superusers. A reviewer holds no such permission: they see the
# programmes they are assigned to, and of the reviews only their own.
ALL_REVIEWS_PERMISSION = "programmes.view_grant"


def sees_all_reviews(user) -> bool:
    return user.has_perm(ALL_REVIEWS_PERMISSION)
