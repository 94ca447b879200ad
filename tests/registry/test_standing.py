from datetime import date

import pytest

from registry.choices import AffiliateStatus, DistrictStatus, RevocationGround, StrikeOffReason
from registry.rules import Span, StoreStanding, affiliate_span, membership_span
from registry.selectors import store_standings
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
)


def test_a_span_includes_its_start_and_excludes_its_end():
    span = Span(date(2026, 1, 10), date(2026, 2, 10))
    assert not span.holds(date(2026, 1, 9))
    assert span.holds(date(2026, 1, 10)) and span.holds(date(2026, 2, 9))
    assert not span.holds(date(2026, 2, 10))
    assert Span(None, None).holds(date(1990, 1, 1))


def test_an_affiliation_ends_when_struck_off_or_the_day_after_validity():
    jan1, mar1 = date(2026, 1, 1), date(2026, 3, 1)
    struck = affiliate_span(approved_on=jan1, revoked_on=mar1, valid_until=None)
    assert struck == Span(jan1, mar1)
    expiring = affiliate_span(approved_on=jan1, revoked_on=None, valid_until=date(2026, 2, 28))
    assert expiring == Span(jan1, mar1)
    assert affiliate_span(approved_on=None, revoked_on=None, valid_until=None) == Span(None, None)


def test_a_membership_counts_from_joining_or_designation_until_leaving_or_revocation():
    designated, revoked = date(2025, 6, 1), date(2026, 3, 1)
    imported = membership_span(
        joined_on=None, left_on=None, designated_on=designated, revoked_on=None
    )
    assert imported == Span(designated, None)
    early = membership_span(
        joined_on=date(2025, 1, 1),
        left_on=date(2026, 5, 1),
        designated_on=designated,
        revoked_on=revoked,
    )
    assert early == Span(designated, revoked)


def test_eligibility_needs_both_the_affiliation_and_the_membership_on_the_day():
    standing = StoreStanding(
        store_id=1,
        affiliate_spans={"card": (Span(date(2026, 2, 1), None),)},
        membership_spans=(Span(date(2026, 1, 1), date(2026, 3, 1)),),
    )
    assert not standing.eligible_on("card", date(2026, 1, 31))
    assert standing.eligible_on("card", date(2026, 2, 1))
    assert not standing.eligible_on("card", date(2026, 3, 1))
    assert not standing.eligible_on("mobile", date(2026, 2, 15))


@pytest.mark.django_db
def test_standings_are_read_for_a_whole_office_in_one_query(
    office, other_office, django_assert_num_queries
):
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    member = StoreFactory(office=office)
    MembershipFactory(store=member, district=district, joined_on=date(2026, 1, 20))
    ApprovedAffiliateFactory(store=member, certificate_type="mobile", approved_on=None)
    ApprovedAffiliateFactory(
        store=member,
        certificate_type="card",
        approved_on=date(2025, 1, 1),
        status=AffiliateStatus.REVOKED,
        revoked_on=date(2026, 2, 1),
        strike_off_reason=StrikeOffReason.MISUSE,
    )
    AffiliateRegistrationFactory(store=member, certificate_type="paper")  # only applied
    loner = StoreFactory(office=office)
    StoreFactory(office=other_office, business_number=member.business_number)
    with django_assert_num_queries(1):
        standings = store_standings(office.pk)
    assert set(standings) == {member.business_number, loner.business_number}
    standing = standings[member.business_number]
    assert standing.eligible_on("mobile", date(2026, 1, 20))
    assert not standing.eligible_on("mobile", date(2026, 1, 19))
    assert standing.eligible_on("card", date(2026, 1, 31))
    assert not standing.eligible_on("card", date(2026, 2, 1))
    assert not standing.eligible_on("paper", date(2026, 2, 1))
    assert not standings[loner.business_number].eligible_on("card", date(2026, 2, 1))
    with django_assert_num_queries(1):
        one = store_standings(office.pk, [member.business_number, "1234567891"])
    assert one == {member.business_number: standing}


@pytest.mark.django_db
def test_a_revoked_district_stops_counting_on_its_revocation_date(office):
    district = DesignatedDistrictFactory(
        office=office,
        designated_on=date(2025, 6, 1),
        status=DistrictStatus.REVOKED,
        revoked_on=date(2026, 2, 1),
        revocation_ground=RevocationGround.TRADING_STOPPED,
    )
    store = StoreFactory(office=office)
    MembershipFactory(store=store, district=district, joined_on=None)
    ApprovedAffiliateFactory(store=store, approved_on=None)
    standing = store_standings(office.pk, [store.business_number])[store.business_number]
    assert standing.eligible_on("card", date(2026, 1, 31))
    assert not standing.eligible_on("card", date(2026, 2, 1))
