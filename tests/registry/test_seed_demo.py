"""The demo data (SPEC 2.7): `seed_demo` builds a believable Seo-gu once, `demo_login` prints a
login that works.

Seeding takes a few seconds, so it runs once for the module (inside a transaction rolled back
at the end) and the tests read what it wrote; each test's own changes roll back as usual.
"""

import io
import re
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django.utils import translation

from core.demo import DEMO_PASSWORD
from core.numbers import brn_valid
from registry import demo, selectors
from registry.choices import AffiliateStatus, DistrictStatus, StoreStatus
from registry.constants import DEFAULT_RESTRICTED_BUSINESS_TYPES, SEOGU_DONGS
from registry.demo import DEMO_STAFF
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    Membership,
    Office,
    Store,
    User,
)
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)

OTHER_OFFICE = "29110"


def run(*args, **options) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Office, Dong, District, Store, Membership, AffiliateRegistration, User)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Another office's data first, then the demo on top of it; all rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        other = OfficeFactory(code=OTHER_OFFICE, name="광주광역시 동구")
        district = DesignatedDistrictFactory(office=other, name="치평동 먹자골목")
        store = StoreFactory(office=other, dong=DongFactory(office=other, name="충장동"))
        MembershipFactory(store=store, district=district)
        ApprovedAffiliateFactory(store=store)
        UserFactory(username="donggu-clerk", office=other, roles=["clerk"])
        other_rows = counts()
        output = run("seed_demo")
        yield {"output": output, "other_rows": other_rows, "other_store": store.pk}
        transaction.set_rollback(True)
    connection.close()


@pytest.fixture
def seogu(seeded, db) -> Office:
    return Office.objects.get(code="29140")


def test_seed_demo_creates_seogu_with_its_18_dongs_and_its_ordinance(seeded, seogu):
    assert seogu.name == "광주광역시 서구"
    assert sorted(seogu.dongs.values_list("name", flat=True)) == sorted(SEOGU_DONGS)
    assert seogu.min_stores == 15
    assert seogu.restricted_business_types.count() == len(DEFAULT_RESTRICTED_BUSINESS_TYPES)
    assert "11,000" in seeded["output"]


def test_the_profile_names_exactly_the_dongs_of_the_spec():
    assert tuple(d.name for d in demo.SEOGU_PROFILE.dongs) == SEOGU_DONGS
    assert sum(d.districts for d in demo.SEOGU_PROFILE.dongs) == 119


def test_119_designated_districts_cover_all_18_dongs_and_meet_the_criteria(seogu):
    designated = District.objects.filter(office=seogu, status=DistrictStatus.DESIGNATED)

    assert designated.count() == 119
    assert Dong.objects.filter(office=seogu, districts__in=designated).distinct().count() == 18
    for district in designated.select_related("office"):
        assert re.fullmatch(r"서구-202[345]-\d{3}", district.designation_no)
        assert date(2023, 1, 1) <= district.designated_on <= date(2025, 12, 31)
        assert str(district.designated_on.year) in district.designation_no
        assert district.association_name and district.representative
        assert district.certificate_issued_at is not None
        assert all(line.passed for line in selectors.district_checks(district)), district.name
    assert designated.values("designation_no").distinct().count() == 119


def test_districts_hold_their_members_with_joining_dates_after_designation(seogu):
    designated = District.objects.filter(office=seogu, status=DistrictStatus.DESIGNATED)
    sizes = designated.annotate(n=Count("memberships")).values_list("store_count", "n")

    assert all(store_count == members for store_count, members in sizes)
    early = Membership.objects.filter(
        district__office=seogu, joined_on__lt=F("district__designated_on")
    )
    assert not early.exists()


def test_about_11000_stores_have_valid_business_numbers_unique_in_the_office(seogu):
    stores = Store.objects.filter(office=seogu)
    numbers = list(stores.values_list("business_number", flat=True))

    assert len(numbers) == 11_000
    assert len(set(numbers)) == len(numbers)
    assert all(brn_valid(n) for n in numbers)
    phones = stores.values_list("phone", flat=True)
    assert all(re.fullmatch(r"010\d{8}", p) for p in phones)
    assert not stores.exclude(road_address__startswith="광주광역시 서구 ").exists()
    assert not stores.filter(Q(trade_name="") | Q(representative="")).exists()
    assert stores.values("ksic_code").distinct().count() >= 30
    assert stores.filter(trade_name__contains="국밥").count() > 100


def test_most_stores_are_members_and_about_60_percent_are_approved_affiliates(seogu):
    stores = Store.objects.filter(office=seogu)
    total = stores.count()
    members = stores.filter(memberships__isnull=False).distinct().count()
    approved = stores.filter(affiliations__status=AffiliateStatus.APPROVED).distinct().count()

    assert 0.6 < members / total < 0.85
    assert 0.55 < approved / total < 0.65
    registrations = AffiliateRegistration.objects.filter(
        store__office=seogu, status=AffiliateStatus.APPROVED
    )
    assert set(registrations.values_list("certificate_type", flat=True)) == {
        "paper",
        "card",
        "mobile",
    }
    assert not registrations.filter(
        Q(affiliate_number=None) | Q(settlement_account="") | Q(approved_on=None)
    ).exists()


def test_every_approved_affiliate_passes_the_eligibility_rules_today(seogu):
    stores = (
        Store.objects.filter(office=seogu, affiliations__status=AffiliateStatus.APPROVED)
        .distinct()
        .select_related("office")
    )
    for store in stores[:300]:
        failed = [c.rule for c in selectors.affiliate_eligibility(store) if not c.passed]
        assert failed == [], store


def test_closed_stores_left_their_district_and_lost_their_affiliations(seogu):
    closed = Store.objects.filter(office=seogu, status=StoreStatus.CLOSED)

    assert 100 < closed.count() < 600
    assert not Membership.objects.filter(store__in=closed, left_on=None).exists()
    assert not AffiliateRegistration.objects.filter(
        store__in=closed, status__in=[AffiliateStatus.APPROVED, AffiliateStatus.APPLIED]
    ).exists()


def test_pending_overdue_rejected_and_struck_off_records_are_there_to_work_on(seogu):
    applied = District.objects.filter(office=seogu, status=DistrictStatus.APPLIED)
    registrations = AffiliateRegistration.objects.filter(store__office=seogu)
    struck_off = registrations.filter(status=AffiliateStatus.REVOKED).exclude(
        strike_off_reason="store_closed"
    )

    assert 3 <= applied.count() <= 10
    assert selectors.districts_overdue(applied).exists()
    assert applied.exclude(pk__in=selectors.districts_overdue(applied)).exists()
    assert any(not line.passed for d in applied for line in selectors.district_checks(d))
    assert District.objects.filter(office=seogu, status=DistrictStatus.REJECTED).exists()
    assert registrations.filter(status=AffiliateStatus.APPLIED).count() > 100
    assert registrations.filter(status=AffiliateStatus.REJECTED).exists()
    assert 5 <= struck_off.count() <= 200


def test_one_staff_user_per_role_belongs_to_the_office_and_its_group(seogu):
    users = {u.username: u for u in User.objects.filter(office=seogu)}

    assert {"clerk", "supervisor", "operator", "cashback", "auditor"} <= set(users)
    assert set(users) == {username for username, _role, _name in DEMO_STAFF}
    groups = {name: list(u.groups.values_list("name", flat=True)) for name, u in users.items()}
    assert groups == {username: [role] for username, role, _name in DEMO_STAFF}
    assert groups["operator"] == ["hotline_operator"] and groups["reviewer1"] == [
        "programme_reviewer"
    ]
    assert all(u.is_staff and not u.is_superuser for u in users.values())


def test_the_cashback_campaign_agrees_with_its_ledger_and_launch_week_ran_out(seogu):
    from cashback.models import Campaign, Payment
    from cashback.selectors import ledger_disagreements

    campaign = Campaign.objects.get(office=seogu, code="alleypay-2026")
    weeks = {w.number: w for w in campaign.weeks.all()}

    assert Payment.objects.filter(campaign=campaign).count() == 102_500
    assert ledger_disagreements(campaign) == []
    assert weeks[1].exhausted_at is not None and weeks[1].granted == weeks[1].budget
    assert [n for n, w in sorted(weeks.items()) if w.frozen_at] == list(range(1, 11))


def test_the_other_offices_data_is_left_as_it_was(seeded, db):
    other = Office.objects.get(code=OTHER_OFFICE)

    assert Store.objects.filter(office=other).count() == 1
    assert District.objects.filter(office=other).count() == 1
    assert User.objects.get(username="donggu-clerk").office == other
    assert Store.objects.get(pk=seeded["other_store"]).affiliations.count() == 1


def test_a_second_run_adds_nothing_and_says_so_in_few_queries(seogu, django_assert_max_num_queries):
    before = counts()

    with django_assert_max_num_queries(40):
        output = run("seed_demo")

    assert counts() == before
    assert "already in place" in output


def test_a_second_run_tops_up_what_went_missing(seogu):
    pending = District.objects.filter(office=seogu, status=DistrictStatus.APPLIED).first()
    pending.delete()
    applied = AffiliateRegistration.objects.filter(
        store__office=seogu, status=AffiliateStatus.APPLIED
    )
    dropped = list(applied.values_list("store_id", "certificate_type")[:5])
    applied.filter(pk__in=applied.values("pk")[:5]).delete()
    before = counts()

    output = run("seed_demo")

    after = counts()
    assert after["District"] == before["District"] + 1
    assert after["AffiliateRegistration"] == before["AffiliateRegistration"] + 5
    assert after["Store"] == before["Store"]
    assert District.objects.filter(office=seogu, name=pending.name).exists()
    for store_id, kind in dropped:
        assert applied.filter(store_id=store_id, certificate_type=kind).exists()
    assert "districts: 1 added" in output


def test_the_plan_is_the_same_on_every_run_and_every_day():
    first = demo.office_plan(demo.SEOGU_PROFILE, today=date(2026, 3, 1))
    again = demo.office_plan(demo.SEOGU_PROFILE, today=date(2026, 11, 23))

    def keys(plan):
        return (
            [d.name for d in plan.districts],
            [(s.business_number, s.trade_name, s.district) for s in plan.stores],
        )

    assert keys(first) == keys(again)
    assert Counter(s.dong for s in first.stores).keys() == set(SEOGU_DONGS)


def sign_in(**credentials):
    """Django's authenticate with a request, as the sign-in page calls it (axes needs one)."""
    return authenticate(RequestFactory().post("/admin/login/"), **credentials)


def test_demo_login_prints_a_login_that_works(seogu, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)

    output = run("demo_login")

    assert "http://127.0.0.1:8000/admin/" in output
    username = re.search(r"Username: (\S+)", output).group(1)
    password = re.search(r"Password: (\S+)", output).group(1)
    assert (username, password) == ("admin", DEMO_PASSWORD)
    admin = sign_in(username=username, password=password)
    assert admin is not None and admin.is_superuser and admin.is_staff
    for role_user in ("clerk", "supervisor", "operator", "cashback", "auditor"):
        assert role_user in output
        assert sign_in(username=role_user, password=password) is not None


def test_demo_login_takes_the_password_from_the_environment(seogu, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-demo-secret-42")

    output = run("demo_login")

    assert "another-demo-secret-42" in output
    assert sign_in(username="admin", password="another-demo-secret-42") is not None
    assert sign_in(username="clerk", password="another-demo-secret-42") is not None
    assert sign_in(username="admin", password=DEMO_PASSWORD) is None


def test_the_demo_password_meets_the_password_rules_for_every_demo_user(seogu, settings):
    settings.DEBUG = True
    run("demo_login")
    users = list(User.objects.filter(username__in=["admin", *[u for u, _r, _n in DEMO_STAFF]]))
    assert len(users) == 1 + len(DEMO_STAFF)
    for user in users:
        validate_password(DEMO_PASSWORD, user)


def test_demo_login_refuses_to_run_without_debug_unless_forced(seogu, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"), translation.override("en"):
        call_command("demo_login", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()

    output = run("demo_login", "--force")
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    assert "admin" in output
