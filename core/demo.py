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

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from registry.clock import local_today

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
