"""Screenshots of the home, library, case and search pages, desktop and mobile (make screenshots).

Serves the development database (load it with `make demo`) on a spare local port (PORT, 8765
unless set) and drives Debian's chromium through Playwright. Each screenshot is what a visitor
sees on arriving: 1280 x 1000 on a desktop, 390 x 844 on a phone. Name pages to take only
those: `python docs/screenshots/take.py library search`. SCREENSHOT_LANGUAGE=de takes them with
the interface in that language (the language cookie), named e.g. library-mobile-de.png.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PORT = int(os.environ.get("PORT", 8765))
PAGES = {
    "home": "/",
    "library": "/cases/?theme=crisis-communication",
    "case": None,  # the newest case, found from the library page
    "search": "/search/?q=misinformation",
}
LANGUAGE = os.environ.get("SCREENSHOT_LANGUAGE", "")
VIEWPORTS = {"desktop": (1280, 1000), "mobile": (390, 844)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def main(names=()):
    pages = {name: path for name, path in PAGES.items() if not names or name in names}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_for(base + "/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for device, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                if LANGUAGE:
                    cookie = {"name": "django_language", "value": LANGUAGE, "url": base}
                    context.add_cookies([cookie])
                page = context.new_page()
                for name, path in pages.items():
                    if path is None:
                        page.goto(base + "/cases/")
                        path = page.locator(".case-card__title a").first.get_attribute("href")
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    suffix = f"-{LANGUAGE}" if LANGUAGE else ""
                    target = OUT / f"{name}-{device}{suffix}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(ROOT)}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])
