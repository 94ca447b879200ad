"""The demo runner: steps registered by the apps, run in order in one transaction."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from core import demo
from core.demo import DemoContext, demo_password, demo_step, demo_steps, seed_demo


@pytest.fixture
def no_steps(monkeypatch):
    """An empty register, so a test's own steps run alone (the apps' modules are imported
    already, so discovery adds nothing to it)."""
    demo_steps()
    monkeypatch.setattr(demo, "_STEPS", {})


def test_every_apps_steps_are_found_and_run_registry_first():
    names = [step.name for step in demo_steps()]

    assert names[:2] == ["office", "staff"]
    assert {"stores", "cashback_campaign", "hotline_cases"} <= set(names)
    assert names.index("affiliations") < names.index("cashback_campaign")
    assert names.index("cashback_campaign") < names.index("hotline_cases")


def test_steps_run_by_order_then_name_and_report_their_labels_and_counts(no_steps, db):
    seen = []

    @demo_step("b", label="second", order=20)
    def second(ctx):
        seen.append(("b", ctx.seed, ctx.today))
        return 2

    @demo_step("a", label="third", order=30)
    def third(ctx):
        seen.append(("a", ctx.seed, ctx.today))
        return 0

    @demo_step("c", label="first", order=10)
    def first(ctx):
        seen.append(("c", ctx.seed, ctx.today))
        return 1

    results = seed_demo(seed=7, today=date(2026, 3, 2))

    assert results == [("first", 1), ("second", 2), ("third", 0)]
    assert seen == [(name, 7, date(2026, 3, 2)) for name in "cba"]


def test_a_failing_step_leaves_nothing_of_the_steps_before_it(no_steps, db):
    @demo_step("writes", label="writes", order=10)
    def writes(ctx):
        Group.objects.create(name="demo-written")
        return 1

    @demo_step("fails", label="fails", order=20)
    def fails(ctx):
        raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        seed_demo()

    assert not Group.objects.filter(name="demo-written").exists()


def test_the_context_builds_a_shared_value_once():
    ctx = DemoContext(seed=1, today=date(2026, 3, 2), password="x")
    built = []

    def build():
        built.append(1)
        return {"plan": len(built)}

    assert ctx.memo("plan", build) is ctx.memo("plan", build)
    assert built == [1]


def test_the_demo_users_password_is_hashed_once_for_all_of_them():
    ctx = DemoContext(seed=1, today=date(2026, 3, 2), password="a-demo-password")

    assert ctx.password_hash is ctx.password_hash
    assert ctx.password_hash.startswith(("pbkdf2", "argon2", "md5", "bcrypt", "scrypt"))


def test_the_password_comes_from_the_environment_or_is_the_published_one(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    assert demo_password() == demo.DEMO_PASSWORD

    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-demo-secret-42")
    assert demo_password() == "another-demo-secret-42"
