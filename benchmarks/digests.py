"""Digests at scale: 10,000 members with 5 follows each over 500 new cases.

    python benchmarks/digests.py                      # SQLite in a temporary folder
    DIGEST_MEMBERS=2000 DIGEST_NEW_CASES=200 python benchmarks/digests.py

A fresh database gets 1,000 older cases, then members who follow a mix of themes,
countries, organisations and searches (a pool of 200 searches, as many members follow the
same popular ones), then 500 new cases through the real importer (which records their
publication as the site does). `send_digests` then runs once as cron would, a week later:
its time, the queries of each batch of members, and the process's peak memory are
reported, then a second run, which must send nothing. E-mails go to the database task
queue, as in production (one queued task per digest). The floor: under 2 minutes.
Figures are written to benchmarks/out/digests.json.
"""

import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
MEMBERS = int(os.environ.get("DIGEST_MEMBERS", "10000"))
FOLLOWS = 5
OLD_CASES = int(os.environ.get("DIGEST_OLD_CASES", "1000"))
NEW_CASES = int(os.environ.get("DIGEST_NEW_CASES", "500"))
SEARCHES = 200
FLOOR_SECONDS = 120


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def make_members(rng, now):
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from benchmarks.generate import COUNTRIES, THEMES, WORDS
    from cases.models import Organisation, Theme
    from commonground.following.models import DigestSettings, Follow
    from commonground.following.targets import normalised_search
    from commonground.members.models import MemberProfile

    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"member{i}", email=f"member{i}@example.org", password="!")
        for i in range(MEMBERS)
    )
    users = list(User.objects.filter(username__startswith="member").values_list("pk", flat=True))
    languages = ["en-gb", "nl", "fr", "de", "es", ""]
    MemberProfile.objects.bulk_create(
        MemberProfile(
            user_id=pk, handle=f"member-{pk}", display_name=f"Member {pk}",
            language=rng.choice(languages),
        )
        for pk in users
    )  # fmt: skip
    DigestSettings.objects.bulk_create(
        DigestSettings(user_id=pk, frequency=rng.choice(["daily", "weekly"]), since=now)
        for pk in users
    )
    themes = list(Theme.objects.values_list("pk", flat=True))
    organisations = list(Organisation.objects.public().values_list("pk", flat=True))
    searches = sorted(
        {
            normalised_search(
                QueryDict(
                    f"q={' '.join(rng.sample(WORDS, rng.choice([1, 1, 2])))}"
                    + (f"&country={rng.choice(COUNTRIES)}" if rng.random() < 0.4 else "")
                    + (f"&theme={rng.choice(THEMES)}" if rng.random() < 0.2 else "")
                )
            )
            for _ in range(SEARCHES * 2)
        }
    )[:SEARCHES]
    follows = []
    for pk in users:
        kinds = rng.sample(
            [("theme", t) for t in rng.sample(themes, 2)]
            + [("country", rng.choice(COUNTRIES))]
            + [("organisation", o) for o in rng.sample(organisations, 2)]
            + [("search", s) for s in rng.sample(searches, 2)],
            FOLLOWS,
        )
        for kind, target in kinds:
            follow = Follow(user_id=pk, kind=kind, created_at=now)
            if kind == "theme":
                follow.theme_id = target
            elif kind == "organisation":
                follow.organisation_id = target
            else:
                follow.value = target
            follow.key = follow.make_key()
            follows.append(follow)
    Follow.objects.bulk_create(follows, batch_size=2000)
    return len(searches)


def main() -> None:
    folder = tempfile.mkdtemp(prefix="cg-digests-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/digests.sqlite3"
    os.environ["MEDIA_ROOT"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.dev")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from benchmarks.generate import generate
    from cases.interchange.importer import CaseImporter
    from commonground.following import digests

    rng = random.Random(11)
    print(f"Digests: {MEMBERS:,} members x {FOLLOWS} follows over {NEW_CASES} new cases")
    call_command("migrate", verbosity=0)
    CaseImporter().run(list(generate(OLD_CASES)))
    before_members = timezone.now()
    started = time.perf_counter()
    searches = make_members(rng, before_members)
    print(
        f"  set-up: {MEMBERS:,} members and their follows in {time.perf_counter() - started:.1f}s"
    )
    report = CaseImporter().run(list(generate(NEW_CASES, seed=99, start=OLD_CASES)))
    assert report.created == NEW_CASES, report.summary()

    batches, executed = [], []

    def count(execute, sql, params, many, context):
        executed.append(sql if os.environ.get("DIGEST_SHOW_QUERIES") else None)
        return execute(sql, params, many, context)

    real_batch = digests._send_batch

    def counted_batch(run, due, report):
        before = len(executed)
        real_batch(run, due, report)
        batches.append(len(executed) - before)

    digests._send_batch = counted_batch
    week_later = timezone.now() + timedelta(days=8)
    queued_before = DBTaskResult.objects.count()
    rss_before = peak_mb()
    cpu_started = time.process_time()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        if os.environ.get("DIGEST_PROFILE"):
            import cProfile

            profiler = cProfile.Profile()
            first = profiler.runcall(digests.send_digests, now=week_later)
            profiler.dump_stats(os.environ["DIGEST_PROFILE"])
        else:
            first = digests.send_digests(now=week_later)
        if os.environ.get("DIGEST_SHOW_QUERIES"):
            from collections import Counter

            shapes = Counter(sql[:90] for sql in executed)
            for sql, n in shapes.most_common(15):
                print(f"{n:>7} {sql}")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    digests._send_batch = real_batch
    queued = DBTaskResult.objects.count() - queued_before
    started = time.perf_counter()
    second = digests.send_digests(now=week_later)
    second_seconds = time.perf_counter() - started

    per_member = sorted({round(q / digests.BATCH, 2) for q in batches[:-1]}) if batches else []
    figures = {
        "members": MEMBERS,
        "follows_per_member": FOLLOWS,
        "distinct_searches_followed": searches,
        "new_cases": NEW_CASES,
        "older_cases": OLD_CASES,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "digests_sent": first.sent,
        "nothing_new": first.nothing_new,
        "cases_in_digests": first.cases,
        "emails_queued": queued,
        "queries_total": len(executed),
        "batch_size": digests.BATCH,
        "queries_per_batch": sorted(set(batches)),
        "queries_per_member_in_a_full_batch": per_member,
        "peak_rss_mb_before_run": rss_before,
        "peak_rss_mb_after_run": peak_mb(),
        "second_run": {"seconds": round(second_seconds, 2), **second.as_dict()},
        "floor_seconds": FLOOR_SECONDS,
    }
    print(
        f"  first run: {seconds:.1f}s ({cpu_seconds:.1f}s of CPU), {first.sent:,} digests "
        f"({first.cases:,} cases, "
        f"{first.nothing_new:,} members with nothing new), {queued:,} e-mails queued"
    )
    print(
        f"  queries: {len(executed):,} in all; per batch of {digests.BATCH} members "
        f"{min(batches) if batches else 0}-{max(batches) if batches else 0} "
        f"({', '.join(map(str, per_member))} per member)"
    )
    print(f"  peak memory: {rss_before} MB before the run, {peak_mb()} MB after")
    print(f"  second run: {second_seconds:.2f}s, {second.sent} sent ({second.due} due)")
    OUT.mkdir(exist_ok=True)
    (OUT / "digests.json").write_text(json.dumps(figures, indent=2))
    ok = seconds < FLOOR_SECONDS and second.sent == 0 and queued == first.sent
    print(f"  {'within' if ok else 'OVER'} the floor of {FLOOR_SECONDS}s" if seconds else "")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
