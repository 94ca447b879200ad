"""The cashback benchmark's data: Seo-gu's stores as a plan, and a whole campaign's payment file.

Pure Python without Django, so `bench.cashback` can write the file in a child process (the
second core) while it builds the registry rows, and the generator's memory never counts against
the settlement's. Everything is seeded: the same arguments give the same file.

    python -m bench.cashback_data FILE [--payments 1000000] [--seed 2026]
"""

import argparse
import bisect
import itertools
import math
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.numbers import brn_complete

FIRST_DAY = date(2026, 1, 9)
LAST_DAY = date(2026, 4, 2)
LUNAR_NEW_YEAR_WEEKS = (5, 6)  # 2026-02-06 to 2026-02-19, budgets doubled
STORES = 11_000
CUSTOMERS = 120_000
DISTRICTS = 110
DESIGNATED_ON = date(2025, 6, 1)
UNKNOWN_STORES = 300

# Standing of the stores by index (the rest, 0 to 10,449, are fully eligible all campaign long).
CARD_ONLY = range(10_450, 10_700)  # approved for card, not mobile: mobile payments not eligible
NO_DISTRICT = range(10_700, 10_850)  # affiliates outside any district: never eligible
STRUCK_OFF = range(10_850, 10_950)  # affiliation struck off on STRUCK_OFF_ON
JOINED_LATE = range(10_950, 11_000)  # joined a district on JOINED_ON
STRUCK_OFF_ON = date(2026, 2, 20)
JOINED_ON = date(2026, 3, 1)

# Shares of the payments.
PAPER_SHARE = 0.07
MOBILE_SHARE = 0.38
UNKNOWN_STORE_SHARE = 0.003
OUTSIDE_SHARE = 0.0005  # reported late, on the day after the campaign
# Hour-of-day weights (Seoul time): a lunch peak and a larger evening peak.
HOURS = (
    0.4,
    0.2,
    0.1,
    0.05,
    0.05,
    0.1,
    0.3,
    0.8,
    1.5,
    2.2,
    3.0,
    4.5,
    6.5,
    6.0,
    3.8,
    3.5,
    4.0,
    5.5,
    8.0,
    8.5,
    7.0,
    5.0,
    3.0,
    1.3,
)


@dataclass(frozen=True)
class StorePlan:
    index: int
    business_number: str
    district: int | None  # index of its district, None outside any
    joined_on: date | None
    card: bool
    mobile: bool
    revoked_on: date | None


def store_number(index: int) -> str:
    """A valid business registration number for store `index` (Seo-gu's tax-office prefix; a
    serial from 0001, SPEC 2.1)."""
    return brn_complete(f"410{81 + index // 9999:02d}{1 + index % 9999:04d}")


def unknown_number(index: int) -> str:
    """A valid number that no store of the office has."""
    return brn_complete(f"620{87 + index // 9999:02d}{1 + index % 9999:04d}")


def store_plan(index: int) -> StorePlan:
    return StorePlan(
        index=index,
        business_number=store_number(index),
        district=None if index in NO_DISTRICT else index % DISTRICTS,
        joined_on=JOINED_ON if index in JOINED_LATE else None,
        card=True,
        mobile=index not in CARD_ONLY,
        revoked_on=STRUCK_OFF_ON if index in STRUCK_OFF else None,
    )


def customer_id(index: int) -> str:
    """An opaque customer id as the payment app sends it (no names, no phone numbers)."""
    return f"kp{(index * 0x9E3779B97F + 0x5BD1E995) % 0xFFFFFFFFFB:010x}"


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def day_counts(payments: int, rng: random.Random) -> list[tuple[date, int]]:
    """Payments per campaign day: weekends busier, the Lunar New Year weeks much busier."""
    days = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    weights = []
    for day in days:
        week = (day - FIRST_DAY).days // 7 + 1
        weight = 1.3 if day.weekday() >= 5 else 1.0
        weight *= 1.6 if week in LUNAR_NEW_YEAR_WEEKS else 1.0
        weights.append(weight * rng.uniform(0.9, 1.1))
    total = sum(weights)
    counts = [int(payments * w / total) for w in weights]
    for n in range(payments - sum(counts)):
        counts[n % len(counts)] += 1
    return list(zip(days, counts, strict=True))


def amount(rng: random.Random) -> int:
    """A purchase in won: log-normal around 30,000, in whole hundreds, 1,000 to 3,000,000."""
    value = math.exp(rng.gauss(math.log(30_000), 0.75))
    return max(1_000, min(3_000_000, int(value / 100) * 100))


def write_file(path: str, payments: int, seed: int) -> dict:
    """Write the campaign's payment file; returns counts of what went into it."""
    rng = random.Random(seed)
    customers = [customer_id(n) for n in range(CUSTOMERS)]
    # A few heavy users, many occasional ones: Pareto activity.
    customer_weights = _cumulative(min(rng.paretovariate(1.5), 30) for _ in range(CUSTOMERS))
    stores = [store_number(n) for n in range(STORES)]
    store_weights = _cumulative(math.exp(rng.gauss(0, 1.0)) for _ in range(STORES))
    unknown = [unknown_number(n) for n in range(UNKNOWN_STORES)]
    hour_weights = _cumulative(HOURS)
    counts = {"payments": 0, "paper": 0, "unknown_store": 0, "outside": 0}
    serial = itertools.count(1)
    outside_day = LAST_DAY + timedelta(days=1)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("ref,customer,business_number,amount,method,paid_at\n")
        for day, count in day_counts(payments, rng):
            who = rng.choices(customers, cum_weights=customer_weights, k=count)
            where = rng.choices(stores, cum_weights=store_weights, k=count)
            lines = []
            for customer, number in zip(who, where, strict=True):
                roll = rng.random()
                method = (
                    "paper"
                    if roll < PAPER_SHARE
                    else "mobile"
                    if roll < PAPER_SHARE + MOBILE_SHARE
                    else "card"
                )
                if rng.random() < UNKNOWN_STORE_SHARE:
                    number = rng.choice(unknown)
                    counts["unknown_store"] += 1
                paid_on = day
                if rng.random() < OUTSIDE_SHARE:
                    paid_on = outside_day
                    counts["outside"] += 1
                hour = bisect.bisect(hour_weights, rng.random() * hour_weights[-1])
                moment = datetime(paid_on.year, paid_on.month, paid_on.day, min(hour, 23))
                moment += timedelta(seconds=rng.randrange(3600))
                counts["paper"] += method == "paper"
                lines.append(
                    f"AP26{next(serial):08d},{customer},{number},{amount(rng)},{method},"
                    f"{moment.isoformat()}+09:00\n"
                )
            out.writelines(lines)
            counts["payments"] += count
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    counts = write_file(args.file, args.payments, args.seed)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
