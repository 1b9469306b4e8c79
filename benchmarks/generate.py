"""Generates N synthetic interchange records for benchmarks (deterministic for a seed).

python benchmarks/generate.py 10000 > /tmp/cases-10k.jsonl
"""

import json
import random
import sys

THEMES = [
    "planning-and-strategy", "evaluation-and-impact", "crisis-communication",
    "honesty-and-transparency", "engagement-and-content", "information-sharing-and-appeals",
    "data-and-insight", "officer-support-and-training", "digital-principles-and-policy",
    "wellbeing-and-resilience", "recruitment", "community-relations",
]  # fmt: skip
COUNTRIES = ["GB", "US", "AU", "NL", "CA", "BE", "NZ", "DE", "FI", "ES", "IE", "NO", "SE", "FR"]
PLATFORMS = ["Twitter", "Facebook", "YouTube", "Instagram", "TikTok", "WhatsApp", "Website"]
WORDS = [
    "police",
    "social",
    "media",
    "appeal",
    "witnesses",
    "community",
    "officers",
    "flood",
    "manhunt",
    "recruitment",
    "campaign",
    "followers",
    "evaluation",
    "crisis",
    "trust",
    "neighbourhood",
    "video",
    "humour",
    "honesty",
    "public",
    "information",
    "missing",
    "person",
    "riot",
    "photo",
    "engagement",
    "wellbeing",
    "training",
    "policy",
    "data",
    "insight",
    "tweetathon",
    "livestream",
    "volunteers",
    "safety",
    "road",
    "festival",
    "storm",
    "burglary",
    "fraud",
    "scam",
    "youth",
]
LANGUAGES = ["en"] * 8 + ["nl", "fr", "de", "es"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def record(i, rng):
    country = rng.choice(COUNTRIES)
    return {
        "external_id": f"bench-case-{i:06d}",
        "title": f"{sentence(rng, 6)[:-1]} ({i})",
        "summary": " ".join(sentence(rng, 14) for _ in range(3))[:600],
        "organisation": f"{country} Police Service {rng.randrange(1, 60)}",
        "country": country,
        "published": f"{rng.randrange(2008, 2026)}-{rng.randrange(1, 13):02d}-"
        f"{rng.randrange(1, 29):02d}",
        "themes": rng.sample(THEMES, rng.randrange(1, 4)),
        "platforms": rng.sample(PLATFORMS, rng.randrange(1, 3)),
        "language": rng.choice(LANGUAGES),
        "body": "\n\n".join(" ".join(sentence(rng, 12) for _ in range(4)) for _ in range(4)),
        "lessons": [
            {"kind": kind, "text": sentence(rng, 15)} for kind in ("worked", "challenge", "advice")
        ],
        "outcomes": [{"label": "Posts reached", "value": f"{rng.randrange(1000, 900000):,}"}],
        "result": rng.choice(["worked", "promising", "mixed", "did-not-work"]),
        "evidence": rng.choice(["anecdotal", "monitored", "evaluated"]),
        "authors": ["Benchmark generator"],
    }


def generate(count, seed=7, start=0):
    rng = random.Random(seed)
    for i in range(start, start + count):
        yield json.dumps(record(i, rng), ensure_ascii=False)


if __name__ == "__main__":
    for line in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000):
        print(line)
