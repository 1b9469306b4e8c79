"""The disk a hostile member can fill through /contribute/, and what the clean-up costs.

Replays the attack of Part 4, finding 4 (20 invalid posts, each with three new images of
about 3 MB, no page ever saved) against a fresh SQLite database, imports a library of
generated cases after it (so the clean-up's safety check must read every revision, its
worst case), then runs the daily clean-up as if a day had passed. Prints what was stored,
the server time of accepted and refused posts and of the clean-up; asserts nothing.

    python benchmarks/contribution_uploads.py            # 2,000 cases in the library
    BENCH_CASES=10000 python benchmarks/contribution_uploads.py
"""

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTS = 20


def noisy_jpeg(seed: int) -> bytes:
    """About 3 MB: random pixels hardly compress."""
    import random

    from PIL import Image

    pixels = random.Random(seed).randbytes(1800 * 1500 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1800, 1500), pixels).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main():
    work = Path(tempfile.mkdtemp(prefix="cg-bench-uploads-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.dev")
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    import django

    django.setup()
    from allauth.account.models import EmailAddress

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from wagtail.images import get_image_model

    from benchmarks.generate import generate
    from cases.contribute.cleanup import clean_contributions
    from cases.interchange.importer import CaseImporter
    from cases.models import CaseStudyPage, Theme

    call_command("migrate", verbosity=0)
    size = int(os.environ.get("BENCH_CASES", "2000"))
    member = get_user_model().objects.create_user("attacker", "attacker@example.org", "x")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(member)
    files = [noisy_jpeg(n) for n in range(3)]
    invalid = {
        "title": "",  # the one error that makes the form come back
        "summary": "s",
        "organisation": "Attack Police",
        "country": "GB",
        "case_date_year": "2024",
        "themes": [str(Theme.objects.first().pk)],
        "language": "en",
        "body": "b",
        "hero_alt": "a",
        "image_1_alt": "a",
        "image_2_alt": "a",
        "action": "save",
    }
    accepted, refused = [], []
    for _ in range(POSTS):
        before = get_image_model().objects.count()
        uploads = {
            f"{slot}_file": SimpleUploadedFile(f"{slot}.jpg", content, "image/jpeg")
            for slot, content in zip(("hero", "image_1", "image_2"), files, strict=True)
        }
        start = time.perf_counter()
        response = client.post("/contribute/", {**invalid, **uploads})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        stored = get_image_model().objects.count() - before
        (accepted if stored else refused).append(elapsed)

    CaseImporter().run(list(generate(size)))
    media = work / "media"
    sizes = ", ".join(f"{len(f) / 1e6:.1f}" for f in files)
    print(f"library: {size:,} cases; each post: 3 images of {sizes} MB")
    print(
        f"allowance: {settings.CONTRIBUTION_PENDING_IMAGES} pending images, "
        f"{settings.CONTRIBUTION_UPLOAD_MB_PER_DAY} MB a day"
    )
    print(
        f"after {POSTS} invalid posts: {get_image_model().objects.count()} images stored, "
        f"{folder_bytes(media) / 1e6:.1f} MB on disk (originals and thumbnails), "
        f"{CaseStudyPage.objects.filter(contributor=member).count()} pages"
    )
    for label, times in (("posts storing images", accepted), ("refused posts", refused)):
        if times:
            print(f"{label}: {len(times)}, median {statistics.median(times):.0f} ms")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = clean_contributions(now=timezone.now() + timedelta(days=2))
    cleanup_ms = (time.perf_counter() - start) * 1000
    print(
        f"clean-up a day later: {report} in {cleanup_ms:.0f} ms, "
        f"{len(queries.captured_queries)} queries; "
        f"{folder_bytes(media) / 1e6:.1f} MB left on disk"
    )
    start = time.perf_counter()
    again = clean_contributions(now=timezone.now() + timedelta(days=2))
    print(f"again: {again} in {(time.perf_counter() - start) * 1000:.0f} ms")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
