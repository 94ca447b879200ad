"""A real headless Chromium (Debian's) driven through Playwright, launched once for all the
browser tests.

Playwright's sync API keeps an event loop running in this thread for as long as it is open, and
Django's ORM refuses to run beside a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. So the
browser lives for the browser tests only (package scope: pytest closes it before moving on to
other tests) and the variable is set just as long: left set for the whole session it would leak
into the subprocesses other tests start, where `check --deploy` rightly refuses it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def csp_expected() -> list[str]:
    """Refusals a test expects (a part of Chromium's message each), each with its reason."""
    return []


@pytest.fixture
def page(browser, csp_expected):
    """A fresh page; the test fails if the browser refused anything under the site's
    Content-Security-Policy (Chromium reports each refusal as a console error) that the test
    did not expect."""
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    refused = [text for text in refused if not any(part in text for part in csp_expected)]
    assert refused == [], "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def sign_in(page, live_server):
    """Sign in to the admin as a user made by the factories (which all share one password)."""

    def sign(username: str) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-golmok-1234")
        page.click("input[type=submit]")

    return sign


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-results/; with GOLMOK_SCREENSHOTS=docs, also
    refresh the copy under docs/screenshots/ that the README shows, unless `docs=False` (the
    dashboard's are taken from the demo by docs/demo_screenshots.py, since a few test rows make
    empty charts)."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def take(name: str, *, docs: bool = True) -> Path:
        target = root / "test-results" / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
        if docs and os.environ.get("GOLMOK_SCREENSHOTS") == "docs":
            docs = root / "docs" / "screenshots" / f"{name}.png"
            docs.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, docs)
        return target

    return take
