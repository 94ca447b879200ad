"""Reads about Onnuri affiliate registrations: a store's eligibility (SPEC 2.4) and the
registrations still alive."""

from datetime import date

from django.db.models import Max, QuerySet

from core.clock import local_today
from registry.choices import AffiliateStatus, CertificateType, StoreStatus
from registry.models import AffiliateRegistration, Office, Store
from registry.rules import AffiliateFacts, CheckLine, affiliate_checks

from .stores import store_in_designated_district


def affiliate_eligibility(store: Store, today: date | None = None) -> list[CheckLine]:
    """SPEC 2.4's eligibility rules for the store as of `today`, each as a named line."""
    today = today or local_today()
    office: Office = store.office
    last_struck = store.affiliations.filter(status=AffiliateStatus.REVOKED).aggregate(
        last=Max("revoked_on")
    )["last"]
    facts = AffiliateFacts(
        store_active=store.status == StoreStatus.ACTIVE,
        in_designated_district=store_in_designated_district(store, today),
        in_traditional_market=store.in_traditional_market,
        ksic_code=store.ksic_code,
        restricted_codes=frozenset(
            office.restricted_business_types.values_list("ksic_code", flat=True)
        ),
        annual_sales=store.annual_sales,
        sales_cap=office.affiliate_sales_cap,
        last_struck_off_on=last_struck,
        ban_months=office.reregistration_ban_months,
        today=today,
    )
    return affiliate_checks(facts)


def affiliations_digital() -> QuerySet[AffiliateRegistration]:
    """Approved registrations for the digital certificates (card, mobile): the ones Onnuri
    payments by card or phone, and so cashback, need."""
    return AffiliateRegistration.objects.filter(
        status=AffiliateStatus.APPROVED,
        certificate_type__in=[CertificateType.CARD, CertificateType.MOBILE],
    )


def affiliations_live(queryset: QuerySet[AffiliateRegistration]) -> QuerySet:
    return queryset.filter(status__in=[AffiliateStatus.APPLIED, AffiliateStatus.APPROVED])
