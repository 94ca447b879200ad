"""Reads of the support programmes that carry meaning: scores and review progress, the
ranking, the programme's figures, an applicant's look-up and a business's support history."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from programmes import rules
from programmes.choices import DisbursementStatus, EntryKind
from programmes.models import Application, Grant, LedgerEntry, Programme, Review, Reviewer
from registry.rules import tracking_number_normalize

# A business's support history is kept, and shown, for five years (SPEC 7).
HISTORY_YEARS = 5


@dataclass(frozen=True)
class Scores:
    applications: list[Application]
    scores: dict[int, Fraction | None]


def application_scores(programme: Programme) -> Scores:
    """The applications under review with their exact scores (None when nobody scored):
    conflicts are left out, and the trimmed mean applies from five scoring reviewers."""
    applications = list(
        Application.objects.filter(programme=programme, status=rules.UNDER_REVIEW).order_by(
            "submitted_at", "pk"
        )
    )
    totals = defaultdict(list)
    for application_id, total in Review.objects.filter(
        application__in=applications, conflict=False
    ).values_list("application_id", "total"):
        totals[application_id].append(total)
    return Scores(
        applications,
        {
            a.pk: rules.application_score(totals[a.pk], trimmed=programme.trimmed_mean)
            for a in applications
        },
    )


def ledger_disagreements(programme: Programme) -> list[str]:
    """Where the programme's counters and its ledger disagree (empty when they agree): the
    budget held by awards, and each grant's payments and refunds. Run by the tests after every
    flow and race, and by anyone auditing the programme."""
    problems = []
    sums = dict(
        LedgerEntry.objects.filter(programme=programme)
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    awarded = Programme.objects.values_list("awarded", flat=True).get(pk=programme.pk)
    held = sums.get(EntryKind.AWARD, 0) + sums.get(EntryKind.AWARD_LOWERED, 0)
    if awarded != held:
        problems.append(f"awarded {awarded} != ledger {held}")
    award_sum = Application.objects.filter(
        programme=programme, status__in=rules.AWARD_STATUSES
    ).aggregate(total=Sum("award", default=0))["total"]
    if award_sum != held:
        problems.append(f"awards {award_sum} != ledger {held}")
    grants = Grant.objects.filter(application__programme=programme).annotate(
        paid_rows=Sum(
            "disbursements__amount",
            filter=Q(disbursements__status=DisbursementStatus.PAID),
            default=0,
        )
    )
    by_application = defaultdict(lambda: defaultdict(int))
    for application_id, kind, amount in LedgerEntry.objects.filter(programme=programme).values_list(
        "application_id", "kind", "amount"
    ):
        by_application[application_id][kind] += amount
    for grant in grants:
        entries = by_application[grant.application_id]
        for label, counter, kind in (
            ("paid", grant.paid_rows, EntryKind.PAYMENT),
            ("refund_due", grant.refund_due, EntryKind.REFUND_DUE),
            ("refund_returned", grant.refund_returned, EntryKind.REFUND_RETURNED),
        ):
            if counter != entries[kind]:
                problems.append(f"grant {grant.pk} {label} {counter} != ledger {entries[kind]}")
    return problems


@dataclass(frozen=True)
class ReviewProgress:
    application: Application
    reviewed: list  # users who scored
    conflicts: list  # users who declared a conflict
    waiting: list  # assigned reviewers who have done neither


def review_progress(programme: Programme) -> list[ReviewProgress]:
    """For each application under review, who has scored, who declared a conflict and which
    assigned reviewers have not reviewed yet."""
    reviewers = [
        r.user for r in Reviewer.objects.filter(programme=programme).select_related("user")
    ]
    applications = Application.objects.filter(
        programme=programme, status=rules.UNDER_REVIEW
    ).prefetch_related("reviews__reviewer")
    progress = []
    for application in applications:
        done = {r.reviewer_id: r for r in application.reviews.all()}
        progress.append(
            ReviewProgress(
                application,
                [r.reviewer for r in done.values() if not r.conflict],
                [r.reviewer for r in done.values() if r.conflict],
                [user for user in reviewers if user.pk not in done],
            )
        )
    return progress


def ranking(programme: Programme) -> list[Application]:
    """The decided applications as the selection ranked them, each with its reviews and their
    scores: ranked ones first in rank order, then those below the pass mark by score."""
    return list(
        Application.objects.filter(programme=programme, score__isnull=False)
        .select_related("store")
        .prefetch_related("reviews__reviewer", "reviews__scores__criterion")
        .order_by(F("rank").asc(nulls_last=True), "-score", "submitted_at", "pk")
    )


@dataclass(frozen=True)
class ProgrammeFigures:
    budget: int
    awarded: int
    paid: int
    accepted: int
    refunds_due: int
    refunds_returned: int
    remaining: int
    applications: dict[str, int]


def programme_figures(programme: Programme) -> ProgrammeFigures:
    """The programme's money and applications: budget, awarded, paid, accepted expenses,
    refunds due and returned, remaining budget, and applications per status."""
    money = LedgerEntry.objects.filter(programme=programme).aggregate(
        paid=Sum("amount", filter=Q(kind=EntryKind.PAYMENT), default=0),
        refunds_due=Sum("amount", filter=Q(kind=EntryKind.REFUND_DUE), default=0),
        refunds_returned=Sum("amount", filter=Q(kind=EntryKind.REFUND_RETURNED), default=0),
    )
    accepted = Grant.objects.filter(application__programme=programme).aggregate(
        accepted=Sum("accepted", default=0)
    )["accepted"]
    counts = dict(
        Application.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # Read again: the caller's instance may predate awards made since.
    budget, awarded = Programme.objects.values_list("budget", "awarded").get(pk=programme.pk)
    return ProgrammeFigures(
        budget=budget,
        awarded=awarded,
        paid=money["paid"],
        accepted=accepted,
        refunds_due=money["refunds_due"],
        refunds_returned=money["refunds_returned"],
        remaining=budget - awarded,
        applications=counts,
    )


def application_find(number: str, phone_last_four: str) -> Application | None:
    """The application with this tracking number whose phone ends in these four digits; None
    for any mismatch, so a look-up never says which of the two was wrong."""
    number = tracking_number_normalize(number)
    if not number or len(phone_last_four) != 4 or not phone_last_four.isdigit():
        return None
    application = Application.objects.filter(number=number).select_related("programme").first()
    if application is None or not application.phone.endswith(phone_last_four):
        return None
    return application


def store_support_history(store) -> QuerySet[Application]:
    """Every programme the business applied to in the last five years, with its award, grant,
    payments and refunds, newest first."""
    since = timezone.now() - timedelta(days=365 * HISTORY_YEARS + 1)
    return (
        Application.objects.filter(store=store, submitted_at__gte=since)
        .select_related("programme", "grant")
        .annotate(
            paid=Sum(
                "grant__disbursements__amount",
                filter=Q(grant__disbursements__status=DisbursementStatus.PAID),
                default=0,
            )
        )
        .order_by("-submitted_at", "-pk")
    )


def programmes_of_reviewer(user) -> QuerySet[Programme]:
    return Programme.objects.filter(reviewers__user=user)


def programme_public(code: str) -> Programme | None:
    """The programme shown at /programmes/<code>/, with its office, digit days and dongs."""
    return (
        Programme.objects.select_related("office")
        .prefetch_related("digit_days", "dongs")
        .filter(code=code)
        .first()
    )


def application_public_timeline(application: Application) -> list:
    """The part of an application's timeline the applicant may see, oldest first: status
    changes, awards, the grant decision, payments, the settlement and refunds; never notes,
    reviews, comments or who did what."""
    from programmes.choices import EventKind

    public = (
        EventKind.SUBMITTED,
        EventKind.STATUS,
        EventKind.AWARD,
        EventKind.AWARD_LOWERED,
        EventKind.GRANT,
        EventKind.PAYMENT,
        EventKind.SETTLEMENT,
        EventKind.REFUND,
    )
    return list(
        application.events.filter(kind__in=public)
        .only("at", "kind", "from_status", "to_status", "amount")
        .order_by("at", "pk")
    )


def application_notice_sent(application: Application):
    """The latest text message the applicant was sent about the application, or None."""
    from programmes.choices import EventKind

    return application.events.filter(kind=EventKind.NOTICE).order_by("-at", "-pk").first()


@dataclass(frozen=True)
class OfficeProgrammeFigures:
    programme: Programme
    paid: int
    applications: dict[str, int]

    @property
    def remaining(self) -> int:
        return self.programme.budget - self.programme.awarded


def office_programme_figures(programmes: QuerySet[Programme]) -> list[OfficeProgrammeFigures]:
    """Budget, awarded, paid, remaining and applications per status of each programme, read
    in a few queries however many programmes there are (the dashboard's programmes part)."""
    programmes = list(programmes)
    figures = programmes_figures(programmes)
    return [
        OfficeProgrammeFigures(p, figures[p.pk].paid, figures[p.pk].applications)
        for p in programmes
    ]


def applications_awaiting_review(user) -> QuerySet[Application]:
    """The applications under review in the programmes `user` is assigned to that they have
    neither scored nor declared a conflict on."""
    return Application.objects.filter(
        programme__reviewers__user=user, status=rules.UNDER_REVIEW
    ).exclude(reviews__reviewer=user)


def programmes_figures(programmes: list[Programme]) -> dict[int, ProgrammeFigures]:
    """`programme_figures` for a page of programmes in three queries, whatever their number:
    the ledger's sums, the accepted expenses and the applications per status, each grouped by
    programme. `budget` and `awarded` are the instances' own, as the caller just read them."""
    ids = [p.pk for p in programmes]
    money = {
        row["programme_id"]: row
        for row in LedgerEntry.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            paid=Sum("amount", filter=Q(kind=EntryKind.PAYMENT), default=0),
            refunds_due=Sum("amount", filter=Q(kind=EntryKind.REFUND_DUE), default=0),
            refunds_returned=Sum("amount", filter=Q(kind=EntryKind.REFUND_RETURNED), default=0),
        )
        .order_by()
    }
    accepted = dict(
        Grant.objects.filter(application__programme_id__in=ids)
        .values("application__programme_id")
        .annotate(accepted=Sum("accepted", default=0))
        .values_list("application__programme_id", "accepted")
        .order_by()
    )
    counts = defaultdict(dict)
    for programme_id, status, n in (
        Application.objects.filter(programme_id__in=ids)
        .values("programme_id", "status")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "status", "n")
        .order_by()
    ):
        counts[programme_id][status] = n
    empty = {"paid": 0, "refunds_due": 0, "refunds_returned": 0}
    return {
        p.pk: ProgrammeFigures(
            budget=p.budget,
            awarded=p.awarded,
            paid=money.get(p.pk, empty)["paid"],
            accepted=accepted.get(p.pk, 0),
            refunds_due=money.get(p.pk, empty)["refunds_due"],
            refunds_returned=money.get(p.pk, empty)["refunds_returned"],
            remaining=p.budget - p.awarded,
            applications=dict(counts[p.pk]),
        )
        for p in programmes
    }
