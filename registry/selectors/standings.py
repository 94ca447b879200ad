"""Each store's standing over time, as cashback step 4 reads it (SPEC 3.2): when it was an
approved affiliate of each certificate type and a member of a designated district."""

from collections import defaultdict

from django.db import connection

from registry.choices import AffiliateStatus, DistrictStatus
from registry.rules import Span, StoreStanding, affiliate_span, membership_span

_STANDINGS_SQL = """
SELECT s.id, s.business_number, 'store', CAST(NULL AS varchar(10)), CAST(NULL AS date),
       CAST(NULL AS date), CAST(NULL AS date), CAST(NULL AS date)
  FROM registry_store s
 WHERE s.office_id = %s {numbers}
UNION ALL
SELECT s.id, s.business_number, 'affiliate', a.certificate_type, a.approved_on, a.revoked_on,
       a.valid_until, CAST(NULL AS date)
  FROM registry_affiliateregistration a JOIN registry_store s ON s.id = a.store_id
 WHERE s.office_id = %s AND a.status IN (%s, %s) {numbers}
UNION ALL
SELECT s.id, s.business_number, 'membership', CAST(NULL AS varchar(10)), m.joined_on, m.left_on,
       d.designated_on, d.revoked_on
  FROM registry_membership m JOIN registry_store s ON s.id = m.store_id
       JOIN registry_district d ON d.id = m.district_id
 WHERE s.office_id = %s AND d.office_id = %s AND d.status IN (%s, %s)
       AND d.designated_on IS NOT NULL {numbers}
"""


def store_standings(office_id: int, business_numbers: list[str] | None = None) -> dict:
    """Each store's affiliate and membership spans, keyed by business number, in one query.

    With `business_numbers` only those stores are read (the live path reads one per payment);
    without, the whole office (the file settlement reads it once). The stores, their
    registrations and their memberships come back as one UNION ALL of rows tagged by kind.
    Written in SQL because the live path runs it on every payment: built with the ORM, the
    same query cost 2.5 ms of Python per call against a fraction of a millisecond here.
    """
    number_filter, number_params = "", []
    if business_numbers is not None:
        if not business_numbers:
            return {}
        number_filter = f"AND s.business_number IN ({', '.join(['%s'] * len(business_numbers))})"
        number_params = list(business_numbers)
    statuses = [AffiliateStatus.APPROVED.value, AffiliateStatus.REVOKED.value]
    designated = [DistrictStatus.DESIGNATED.value, DistrictStatus.REVOKED.value]
    params = [
        office_id,
        *number_params,
        office_id,
        *statuses,
        *number_params,
        office_id,
        office_id,
        *designated,
        *number_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_STANDINGS_SQL.format(numbers=number_filter), params)
        rows = cursor.fetchall()
    numbers: dict[int, str] = {}
    affiliate: dict[int, dict[str, list[Span]]] = defaultdict(dict)
    membership: dict[int, list[Span]] = defaultdict(list)
    for store_id, number, kind, certificate_type, first, second, third, fourth in rows:
        if kind == "store":
            numbers[store_id] = number
        elif kind == "affiliate":
            affiliate[store_id].setdefault(certificate_type, []).append(
                affiliate_span(approved_on=first, revoked_on=second, valid_until=third)
            )
        else:
            membership[store_id].append(
                membership_span(
                    joined_on=first, left_on=second, designated_on=third, revoked_on=fourth
                )
            )
    return {
        number: StoreStanding(
            store_id=pk,
            affiliate_spans={k: tuple(v) for k, v in affiliate[pk].items()},
            membership_spans=tuple(membership[pk]),
        )
        for pk, number in numbers.items()
    }
