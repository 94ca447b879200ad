"""The demo runner: `seed_demo` runs every app's demo steps, in order, in one transaction.

Each app adds its own demo data through a `demo` module of its own, which `seed_demo` discovers
and runs; the registry's steps (orders 10-70) build the office the others add to::

    # cashback/demo.py
    from core.demo import DemoContext, demo_step

    @demo_step("cashback_campaign", label=_("cashback campaign"), order=100)
    def campaign(ctx: DemoContext) -> int:
        ...  # add what is missing for ctx.office; return how many rows were added

A step adds only what is missing, keyed on natural keys, so that running the demo again adds
nothing; everything comes from generators seeded with `ctx.seed`, so every run produces the
same names and numbers.
"""

import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from core.clock import local_today

DEFAULT_SEED = 2026
DEMO_PASSWORD = "golmok-demo-2026"  # demo only: printed by demo_login, never for production


@dataclass
class DemoContext:
    """What the steps share: the demo office (set by the registry's first step), the day, the
    seed, the demo users' password, and whatever a step builds once for the others (`memo`)."""

    seed: int
    today: date
    password: str
    office: Any = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo[T](self, key: str, build: Callable[[], T]) -> T:
        """The value built once under `key` for every step of this run."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    @property
    def password_hash(self) -> str:
        # Hashing is slow on purpose: once for every demo user.
        return self.memo("password_hash", lambda: make_password(self.password))


DemoStep = Callable[[DemoContext], int]


@dataclass(frozen=True)
class _Registered:
    name: str
    label: str | Promise
    order: int
    run: DemoStep


_STEPS: dict[str, _Registered] = {}


def demo_step(name: str, *, label: str | Promise, order: int) -> Callable[[DemoStep], DemoStep]:
    """Register a step of `seed_demo`: a function of the context returning rows added.

    A step must add only what is missing (keyed on natural keys), so that running the demo
    again adds nothing.
    """

    def register(function: DemoStep) -> DemoStep:
        _STEPS[name] = _Registered(name, label, order, function)
        return function

    return register


def demo_steps() -> list[_Registered]:
    """Every app's steps, in order."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def demo_password() -> str:
    return os.environ.get("DEMO_ADMIN_PASSWORD") or DEMO_PASSWORD


def seed_demo(*, seed: int = DEFAULT_SEED, today: date | None = None) -> list[tuple[str, int]]:
    """Run every demo step in one transaction; return each step's label and rows added."""
    ctx = DemoContext(seed=seed, today=today or local_today(), password=demo_password())
    with transaction.atomic():
        return [(str(step.label), step.run(ctx)) for step in demo_steps()]


def rows_insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (field name → value as the column holds it, the same fields in every row)
    into the model's table in one COPY stream, and return how many.

    No model instances, no `save()` and no signals: tens of thousands of demo rows go in at the
    speed of the database. A field the rows leave out takes its default, the same for every row
    (now, for `auto_now` fields); the primary key comes from the database.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    meta = model._meta
    names = list(first)
    given = [meta.get_field(name) for name in names]
    rest = [f for f in meta.concrete_fields if f not in given and f is not meta.auto_field]
    now = timezone.now()
    fixed = tuple(
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in [*given, *rest])
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in itertools.chain((first,), rows):
            copy.write_row((*(row[name] for name in names), *fixed))
            count += 1
    return count
