"""Page cache: a page rendered by its view against the same page from the cache, in-process.

Runs against the database and cache the environment names (a loaded library: `make demo`,
or DATABASE_URL to a generated one; CACHE_URL=redis://... as in production), through
Django's full request handling, with the page cache off (the view runs; counts and snapshot
warm) and on (one query for the library version, one cache read). Prints p50 / p95 per page.

    DATABASE_URL=sqlite:///db.sqlite3 CACHE_URL=redis://127.0.0.1:6379/3 \\
        python benchmarks/page_cache.py
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 40


def main() -> None:
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.production")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from benchmarks.run import percentile
    from cases.models import CaseStudyPage

    client = Client(HTTP_HOST="127.0.0.1")
    case = CaseStudyPage.objects.live().order_by("pk").first()
    if case is None:
        sys.exit("page_cache: no published case in the database; load a library (make demo)")
    pages = [
        ("case page", case.url),
        ("library", "/cases/"),
        ("library, ?theme=recruitment", "/cases/?theme=recruitment"),
        ("search API, ?q=police", "/api/search/?q=police"),
        ("home", "/"),
    ]

    def timed(url):
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return percentile(times, 50), percentile(times, 95)

    print("| page | rendered p50 / p95 | from the cache p50 / p95 |")
    print("|---|---:|---:|")
    for name, url in pages:
        settings.PAGE_CACHE_ENABLED = True
        client.get(url)
        kept = timed(url)
        settings.PAGE_CACHE_ENABLED = False
        client.get(url)
        rendered = timed(url)
        print(
            f"| {name} | {rendered[0]:.1f} / {rendered[1]:.1f} ms "
            f"| {kept[0]:.1f} / {kept[1]:.1f} ms |"
        )


if __name__ == "__main__":
    main()
