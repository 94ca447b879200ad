"""Reads about merchant applications (SPEC 2.5): where a business number stands, the look-up by
tracking number and phone digits, the queue by age, and the checks a clerk sees before deciding."""

import hmac
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import local_today
from core.numbers import brn_valid
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    DocumentKind,
    StoreStatus,
)
from registry.models import Membership, MerchantApplication, Office, Store
from registry.rules import (
    APPLICATION_OPEN_STATUSES,
    AffiliateFacts,
    CheckLine,
    affiliate_checks,
    tracking_number_normalize,
)


@dataclass(frozen=True)
class NumberStanding:
    """Where a business number stands in an office before a merchant applies.

    `status` is "new" (unknown to the office), "registered" (a trading store), "closed" (a
    closed store) or "pending" (an open application exists).
    """

    status: str
    store: Store | None = None
    district_id: int | None = None
    district_name: str = ""
    live_types: frozenset[str] = field(default_factory=frozenset)


def business_number_standing(office: Office, digits: str) -> NumberStanding:
    """What the office knows of a checked ten-digit number, in at most four queries."""
    if MerchantApplication.objects.filter(
        office=office, business_number=digits, status__in=APPLICATION_OPEN_STATUSES
    ).exists():
        return NumberStanding("pending")
    store = Store.objects.filter(office=office, business_number=digits).first()
    if store is None:
        return NumberStanding("new")
    if store.status != StoreStatus.ACTIVE:
        return NumberStanding("closed", store=store)
    current = (
        Membership.objects.filter(store=store, left_on__isnull=True)
        .select_related("district")
        .first()
    )
    live = frozenset(
        store.affiliations.filter(
            status__in=[AffiliateStatus.APPLIED, AffiliateStatus.APPROVED]
        ).values_list("certificate_type", flat=True)
    )
    return NumberStanding(
        "registered",
        store=store,
        district_id=current.district_id if current else None,
        district_name=current.district.name if current else "",
        live_types=live,
    )


def application_find(tracking_number: str, phone_last_four: str) -> MerchantApplication | None:
    """The application with this tracking number whose phone ends in these four digits.

    Either wrong gives the same None, and the digits are compared in constant time, so the
    answer never tells whether a tracking number exists.
    """
    number = tracking_number_normalize(tracking_number)
    candidate = (
        MerchantApplication.objects.select_related("office", "dong", "district")
        .filter(tracking_number=number)
        .first()
        if number
        else None
    )
    expected = candidate.phone_last_four if candidate else "\x00\x00\x00\x00"
    given = str(phone_last_four or "").strip()
    matches = hmac.compare_digest(expected.encode(), given.encode())
    return candidate if candidate is not None and matches else None


def applications_by_age(queryset: QuerySet, *, min_days: int = 0, max_days: int | None = None):
    """Applications last submitted between `min_days` and `max_days` days ago (inclusive)."""
    now = timezone.now()
    queryset = queryset.filter(submitted_at__lte=now - timedelta(days=min_days))
    if max_days is not None:
        queryset = queryset.filter(submitted_at__gt=now - timedelta(days=max_days + 1))
    return queryset


def application_checks(
    application: MerchantApplication, today: date | None = None
) -> list[CheckLine]:
    """The eligibility and duplicate checks a clerk reads beside the documents, as pass/fail
    lines: a failing line is something to settle before (or by) approving."""
    today = today or local_today()
    office = application.office
    store = (
        Store.objects.filter(office=office, business_number=application.business_number)
        .select_related("office")
        .first()
    )
    lines = [
        CheckLine(
            "business_number",
            brn_valid(application.business_number),
            _("%(number)s is a valid business registration number.")
            % {"number": application.business_number_display},
        ),
        _duplicate_line(application),
        _store_line(store),
        *_district_lines(application, store),
        _classification_line(application),
        _document_line(application),
    ]
    if application.certificate_types:
        lines += _affiliate_lines(application, store, today)
    return [line for line in lines if line is not None]


def _duplicate_line(application: MerchantApplication) -> CheckLine:
    others = (
        MerchantApplication.objects.filter(
            office_id=application.office_id, business_number=application.business_number
        )
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
    )
    other_open = others.filter(status__in=APPLICATION_OPEN_STATUSES).first()
    if other_open is not None:
        return CheckLine(
            "duplicate_application",
            False,
            _("Another open application has the same number: %(other)s.") % {"other": other_open},
        )
    earlier = others.count()
    return CheckLine(
        "duplicate_application",
        True,
        _("No other open application for this number (%(count)s earlier, decided).")
        % {"count": earlier}
        if earlier
        else _("No other application for this number."),
    )


def _store_line(store: Store | None) -> CheckLine:
    if store is None:
        return CheckLine(
            "store_record",
            True,
            _("No store is registered under this number: approval registers a new store."),
        )
    if store.status != StoreStatus.ACTIVE:
        return CheckLine(
            "store_record",
            False,
            _("%(store)s is registered under this number and closed: it cannot join a district.")
            % {"store": store},
        )
    return CheckLine(
        "store_record",
        True,
        _("Registered as %(store)s: approval updates its record with these details.")
        % {"store": store},
    )


def _district_lines(application: MerchantApplication, store: Store | None) -> list[CheckLine]:
    district = application.district
    lines = []
    if district is None:
        lines.append(
            CheckLine(
                "district",
                False,
                _("The merchant did not know the district: assign one when approving."),
            )
        )
    elif district.status != DistrictStatus.DESIGNATED:
        lines.append(
            CheckLine(
                "district",
                False,
                _("%(district)s is not a designated district (%(status)s).")
                % {"district": district.name, "status": district.get_status_display()},
            )
        )
    else:
        lines.append(
            CheckLine(
                "district",
                True,
                _("%(district)s is a designated district.") % {"district": district.name},
            )
        )
    current = (
        Membership.objects.filter(store=store, left_on__isnull=True)
        .select_related("district")
        .first()
        if store is not None
        else None
    )
    if current is not None:
        moving = district is not None and current.district_id != district.pk
        lines.append(
            CheckLine(
                "membership",
                True,
                _("Now a member of %(current)s: approval moves the store to %(district)s.")
                % {"current": current.district.name, "district": district.name}
                if moving
                else _("Now a member of %(current)s.") % {"current": current.district.name},
            )
        )
    lines.append(
        CheckLine(
            "dong",
            application.dong is not None,
            _("The store lies in %(dong)s.") % {"dong": application.dong.name}
            if application.dong is not None
            else _("The merchant did not know the dong: set it when approving."),
        )
    )
    return lines


def _classification_line(application: MerchantApplication) -> CheckLine:
    if application.ksic_code:
        return CheckLine(
            "classification",
            True,
            _("Business type %(code)s %(name)s.")
            % {"code": application.ksic_code, "name": application.business_type},
        )
    return CheckLine(
        "classification",
        False,
        _("“%(name)s” has no KSIC code yet: set it when approving.")
        % {"name": application.business_type},
    )


def _document_line(application: MerchantApplication) -> CheckLine:
    has_certificate = any(
        d.kind == DocumentKind.BUSINESS_CERTIFICATE for d in application.documents.all()
    )
    return CheckLine(
        "document",
        has_certificate,
        _("The business registration certificate is attached.")
        if has_certificate
        else _("The business registration certificate is missing."),
    )


def _affiliate_lines(
    application: MerchantApplication, store: Store | None, today: date
) -> list[CheckLine]:
    office = application.office
    lines = []
    if store is not None:
        live = dict(
            store.affiliations.filter(
                status__in=[AffiliateStatus.APPLIED, AffiliateStatus.APPROVED]
            ).values_list("certificate_type", "status")
        )
        held = [t for t in application.certificate_types if t in live]
        if held:
            lines.append(
                CheckLine(
                    "affiliate_held",
                    True,
                    _("Already registered for %(types)s: approval leaves those as they are.")
                    % {"types": ", ".join(str(CertificateType(t).label) for t in held)},
                )
            )
    last_struck = (
        store.affiliations.filter(status=AffiliateStatus.REVOKED).aggregate(last=Max("revoked_on"))[
            "last"
        ]
        if store is not None
        else None
    )
    district = application.district
    facts = AffiliateFacts(
        store_active=True,
        in_designated_district=district is not None
        and district.status == DistrictStatus.DESIGNATED,
        in_traditional_market=bool(store and store.in_traditional_market),
        ksic_code=application.ksic_code,
        restricted_codes=frozenset(
            office.restricted_business_types.values_list("ksic_code", flat=True)
        ),
        annual_sales=store.annual_sales if store is not None else None,
        sales_cap=office.affiliate_sales_cap,
        last_struck_off_on=last_struck,
        ban_months=office.reregistration_ban_months,
        today=today,
    )
    # The store's own state and a missing code are lines above already.
    skip = {"store_active"} | ({"business_type"} if not application.ksic_code else set())
    lines += [line for line in affiliate_checks(facts) if line.rule not in skip]
    return lines
