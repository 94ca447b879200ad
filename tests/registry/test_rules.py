from datetime import date
from fractions import Fraction

import pytest

from core.numbers import name_mask, phone_digits, phone_format, phone_mask, phone_valid
from registry.rules import (
    AffiliateFacts,
    CriteriaSettings,
    DistrictFacts,
    add_months,
    affiliate_checks,
    designation_checks,
    required_stores,
)

SEOGU = CriteriaSettings(
    max_area_m2=2000,
    extra_area_step_m2=None,
    extra_stores_per_step=1,
    min_stores=15,
    min_stores_commercial=None,
    min_consent_ratio=Fraction(1, 2),
    owner_consent_required=False,
)


def facts(**overrides) -> DistrictFacts:
    base = {
        "area_m2": 1800,
        "excluded_area_m2": 0,
        "in_commercial_zone": False,
        "small_business_store_count": 20,
        "association_name": "상인회",
        "applied_by_representative": True,
        "merchant_count": 20,
        "consenting_merchants": 10,
        "owner_count": 0,
        "consenting_owners": 0,
    }
    return DistrictFacts(**{**base, **overrides})


def failed(lines):
    return [line.rule for line in lines if not line.passed]


def test_a_district_meeting_every_criterion_passes_every_line():
    lines = designation_checks(SEOGU, facts())
    assert [line.rule for line in lines] == ["area", "stores", "association", "merchant_consent"]
    assert failed(lines) == []


def test_area_is_counted_without_roads_parks_and_car_parks():
    assert failed(designation_checks(SEOGU, facts(area_m2=2600, excluded_area_m2=600))) == []
    assert failed(designation_checks(SEOGU, facts(area_m2=2600, excluded_area_m2=599))) == ["area"]


def test_area_exactly_at_the_limit_passes():
    assert failed(designation_checks(SEOGU, facts(area_m2=2000))) == []
    assert failed(designation_checks(SEOGU, facts(area_m2=2001))) == ["area"]


def test_larger_area_needs_extra_stores_per_further_step():
    office = CriteriaSettings(**{**SEOGU.__dict__, "extra_area_step_m2": 300})
    # 2,301 m² is 301 m² over: two further steps of 300 m², so 15 + 2 stores.
    assert required_stores(office, facts(area_m2=2301)) == 17
    assert (
        failed(designation_checks(office, facts(area_m2=2301, small_business_store_count=17))) == []
    )
    assert failed(
        designation_checks(office, facts(area_m2=2301, small_business_store_count=16))
    ) == ["stores"]
    assert required_stores(office, facts(area_m2=2300)) == 16


def test_store_minimum_is_inclusive():
    assert failed(designation_checks(SEOGU, facts(small_business_store_count=15))) == []
    assert failed(designation_checks(SEOGU, facts(small_business_store_count=14))) == ["stores"]


def test_commercial_zones_may_have_their_own_minimum():
    office = CriteriaSettings(**{**SEOGU.__dict__, "min_stores": 30, "min_stores_commercial": 20})
    assert required_stores(office, facts(in_commercial_zone=True)) == 20
    assert required_stores(office, facts(in_commercial_zone=False)) == 30


def test_the_law_default_of_thirty_applies_without_an_ordinance():
    office = CriteriaSettings(**{**SEOGU.__dict__, "min_stores": 30})
    assert failed(designation_checks(office, facts(small_business_store_count=29))) == ["stores"]


@pytest.mark.parametrize(
    ("name", "by_representative"), [("", True), ("   ", True), ("상인회", False)]
)
def test_an_organisation_must_exist_and_apply_through_its_representative(name, by_representative):
    lines = designation_checks(
        SEOGU, facts(association_name=name, applied_by_representative=by_representative)
    )
    assert failed(lines) == ["association"]


def test_half_of_the_merchants_consenting_is_enough():
    assert (
        failed(designation_checks(SEOGU, facts(merchant_count=21, consenting_merchants=11))) == []
    )
    assert failed(designation_checks(SEOGU, facts(merchant_count=21, consenting_merchants=10))) == [
        "merchant_consent"
    ]


def test_no_merchants_counted_means_no_consent():
    assert failed(designation_checks(SEOGU, facts(merchant_count=0, consenting_merchants=0))) == [
        "merchant_consent"
    ]


def test_owner_consent_is_checked_only_where_the_ordinance_asks_it():
    assert "owner_consent" not in [line.rule for line in designation_checks(SEOGU, facts())]
    office = CriteriaSettings(**{**SEOGU.__dict__, "owner_consent_required": True})
    assert failed(designation_checks(office, facts(owner_count=10, consenting_owners=4))) == [
        "owner_consent"
    ]
    assert failed(designation_checks(office, facts(owner_count=10, consenting_owners=5))) == []


def test_several_failures_are_all_named():
    lines = designation_checks(
        SEOGU, facts(area_m2=5000, small_business_store_count=3, association_name="")
    )
    assert failed(lines) == ["area", "stores", "association"]


def affiliate(**overrides) -> AffiliateFacts:
    base = {
        "store_active": True,
        "in_designated_district": True,
        "in_traditional_market": False,
        "ksic_code": "56111",
        "restricted_codes": frozenset({"56211", "68221"}),
        "annual_sales": 500_000_000,
        "sales_cap": 3_000_000_000,
        "last_struck_off_on": None,
        "ban_months": 3,
        "today": date(2026, 3, 1),
    }
    return AffiliateFacts(**{**base, **overrides})


def test_an_eligible_store_passes_every_affiliate_rule():
    lines = affiliate_checks(affiliate())
    assert [line.rule for line in lines] == [
        "store_active",
        "zone",
        "business_type",
        "annual_sales",
        "reregistration_ban",
    ]
    assert failed(lines) == []


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"store_active": False}, "store_active"),
        ({"in_designated_district": False}, "zone"),
        ({"ksic_code": "56211"}, "business_type"),
        ({"annual_sales": 3_000_000_001}, "annual_sales"),
        ({"last_struck_off_on": date(2025, 12, 2)}, "reregistration_ban"),
    ],
)
def test_each_failing_affiliate_rule_is_named(overrides, rule):
    assert failed(affiliate_checks(affiliate(**overrides))) == [rule]


def test_a_store_inside_a_traditional_market_needs_no_district():
    lines = affiliate_checks(affiliate(in_designated_district=False, in_traditional_market=True))
    assert failed(lines) == []


def test_sales_exactly_at_the_cap_pass_and_unreported_sales_do_not_block():
    assert failed(affiliate_checks(affiliate(annual_sales=3_000_000_000))) == []
    assert failed(affiliate_checks(affiliate(annual_sales=None))) == []


def test_the_reregistration_ban_ends_after_the_months_have_passed():
    struck = date(2025, 12, 1)
    assert failed(affiliate_checks(affiliate(last_struck_off_on=struck, today=date(2026, 2, 28))))
    assert not failed(
        affiliate_checks(affiliate(last_struck_off_on=struck, today=date(2026, 3, 1)))
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 15), 3, date(2026, 3, 15)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_months_are_added_on_the_calendar(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("01012345678", "010-****-5678"),
        ("010-1234-5678", "010-****-5678"),
        ("0621234567", "062-****-4567"),
        ("", ""),
        ("12", "**"),
    ],
)
def test_phones_are_masked_in_the_middle(phone, masked):
    assert phone_mask(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("홍길동", "홍*동"), ("김철", "김*"), ("남궁민수", "남**수"), ("이", "이"), ("", "")],
)
def test_names_keep_their_first_and_last_character(name, masked):
    assert name_mask(name) == masked


@pytest.mark.parametrize(
    ("given", "digits", "valid"),
    [
        ("010-1234-5678", "01012345678", True),
        ("062) 123-4567", "0621234567", True),
        ("02 123 4567", "021234567", True),
        ("+82 10-1234-5678", "01012345678", True),
        ("1234", "1234", False),
        ("", "", False),
        ("０１０-１２３４-５６７８", "", False),  # full-width digits are not kept
    ],
)
def test_phone_numbers_are_kept_as_digits(given, digits, valid):
    assert phone_digits(given) == digits
    assert phone_valid(digits) is valid


def test_phone_numbers_are_shown_as_koreans_write_them():
    assert phone_format("01012345678") == "010-1234-5678"
    assert phone_format("0621234567") == "062-123-4567"
    assert phone_format("021234567") == "02-123-4567"
