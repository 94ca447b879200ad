"""Reads of the registry that carry meaning, with the joins they need: one module per concept,
every name importable from `registry.selectors`."""

from .affiliates import affiliate_eligibility, affiliations_digital, affiliations_live
from .applications import (
    NumberStanding,
    application_checks,
    application_find,
    applications_by_age,
    business_number_standing,
)
from .districts import (
    designated_districts,
    district_checks,
    district_due_on,
    district_overdue,
    districts_overdue,
)
from .figures import (
    BusinessTypeFigures,
    DistrictFigures,
    DongFigures,
    StoreCounts,
    business_type_mix,
    district_figures,
    dong_figures,
    rate_bp,
    store_counts,
)
from .numbers import StoredNumber, business_numbers_invalid
from .standings import store_standings
from .stores import (
    memberships_current,
    store_current_membership,
    store_in_designated_district,
    store_search,
)

__all__ = [
    "BusinessTypeFigures",
    "DistrictFigures",
    "DongFigures",
    "NumberStanding",
    "StoreCounts",
    "StoredNumber",
    "affiliate_eligibility",
    "affiliations_digital",
    "affiliations_live",
    "application_checks",
    "application_find",
    "applications_by_age",
    "business_number_standing",
    "business_numbers_invalid",
    "business_type_mix",
    "designated_districts",
    "district_checks",
    "district_due_on",
    "district_figures",
    "district_overdue",
    "districts_overdue",
    "dong_figures",
    "memberships_current",
    "rate_bp",
    "store_counts",
    "store_current_membership",
    "store_in_designated_district",
    "store_search",
    "store_standings",
]
