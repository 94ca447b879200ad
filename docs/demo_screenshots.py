"""The dashboard's screenshots in docs/screenshots/, taken from the running demo.

Start the demo first (`./scripts/run`, or `PORT=8765 ./scripts/run`), then:

    .venv/bin/python docs/demo_screenshots.py [http://127.0.0.1:8000]

It signs in as the demo's supervisor and operator and saves each one's dashboard at desktop
and phone width.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "golmok-demo-2026"  # the demo's own, printed by ./scripts/run
SHOTS = [
    ("supervisor", 1280, 900, "dashboard-supervisor"),
    ("supervisor", 390, 844, "dashboard-supervisor-phone"),
    ("operator", 1280, 900, "dashboard-operator"),
    ("operator", 390, 844, "dashboard-operator-phone"),
]


def main(base: str) -> None:
    folder = Path(__file__).resolve().parent / "screenshots"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for username, width, height, name in SHOTS:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="ko-KR"
            )
            page = context.new_page()
            page.goto(f"{base}/admin/login/?next=/dashboard/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("[type=submit]")
            page.wait_for_url("**/dashboard/**")
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            print(folder / f"{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
