"""A theme's lessons at a glance: the "what worked", "challenges" and "advice" lessons of its
published cases, grouped by kind, each with its case, verdict and country, and filterable by
verdict. Read in one query from the stored lesson blocks, however many cases the theme has."""

from dataclasses import dataclass, field

from django_countries import countries

from django.utils.translation import gettext_lazy as _

from cases.choices import LessonKind, Result, label_of

# The newest cases of a theme whose lessons are read: the overview stays a page a
# practitioner can take in, and its cost stays bounded as the library grows.
LESSON_WINDOW = 300
# Lessons shown per kind before the rest fold away under "Show all N".
SHOWN_PER_KIND = 4
NO_VERDICT = "none"

KIND_HINTS = {
    LessonKind.WORKED: _("What the teams would do again."),
    LessonKind.CHALLENGE: _("What got in the way, or went wrong."),
    LessonKind.ADVICE: _("What they would tell a colleague starting out."),
}


@dataclass
class Lesson:
    text: str
    case_title: str
    case_url: str
    case_language: str
    result: str
    result_label: str
    country_code: str
    country_name: str


@dataclass
class LessonGroup:
    kind: str
    label: str
    hint: str
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def shown(self) -> list[Lesson]:
        return self.lessons[:SHOWN_PER_KIND]

    @property
    def folded(self) -> list[Lesson]:
        return self.lessons[SHOWN_PER_KIND:]


@dataclass
class VerdictOption:
    value: str
    label: str
    count: int  # cases of the theme with lessons and this verdict
    selected: bool


@dataclass
class ThemeLessons:
    groups: list[LessonGroup]
    verdicts: list[VerdictOption]
    verdict: str  # the verdict filtered on, "" for every verdict
    case_count: int  # cases whose lessons are shown
    windowed: bool  # only the newest LESSON_WINDOW cases were read

    @property
    def total(self) -> int:
        return sum(len(group.lessons) for group in self.groups)


def theme_lessons(theme, verdict: str = "", request=None) -> ThemeLessons:
    """The lessons of `theme`'s newest published cases, newest case first, limited to
    cases with the verdict `verdict` (a Result value, or NO_VERDICT) when it is one."""
    from cases.models import CaseStudyPage

    valid = {*Result.values, NO_VERDICT}
    verdict = verdict if verdict in valid else ""
    cases = list(
        CaseStudyPage.objects.live()
        .filter(themes=theme)
        .order_by("-case_date", "-pk")
        .only("pk", "title", "url_path", "language", "result", "country", "lessons")[
            : LESSON_WINDOW + 1
        ]
    )
    windowed = len(cases) > LESSON_WINDOW
    cases = cases[:LESSON_WINDOW]
    groups = {
        kind.value: LessonGroup(kind.value, kind.label, KIND_HINTS[kind]) for kind in LessonKind
    }
    counts = dict.fromkeys(valid, 0)
    ranked = {kind: [] for kind in groups}
    shown_cases = 0
    for case in cases:
        blocks = [b for b in case.lessons.raw_data if b.get("type") in groups and b.get("value")]
        if not blocks:
            continue
        result = case.result if case.result in Result.values else NO_VERDICT
        counts[result] += 1
        if verdict and result != verdict:
            continue
        shown_cases += 1
        code = str(case.country)
        url = case.get_url(request)
        seen = dict.fromkeys(groups, 0)
        for block in blocks:
            # (the case's nth lesson of this kind, the case's place): sorted on below, so
            # a kind opens with one lesson from each of the newest cases, not five from one
            rank = (seen[block["type"]], len(ranked[block["type"]]))
            seen[block["type"]] += 1
            ranked[block["type"]].append(
                (
                    rank,
                    Lesson(
                        text=block["value"],
                        case_title=case.title,
                        case_url=url,
                        case_language=case.language,
                        result=case.result if result != NO_VERDICT else "",
                        result_label=label_of(Result, case.result),
                        country_code=code,
                        country_name=countries.name(code) if code else "",
                    ),
                )
            )
    for kind, lessons in ranked.items():
        groups[kind].lessons = [lesson for _, lesson in sorted(lessons, key=lambda item: item[0])]
    # Verdicts no case of the theme has are left out, unless asked for.
    options = [
        VerdictOption(value, label, counts[value], value == verdict)
        for value, label in [*Result.choices, (NO_VERDICT, _("No verdict given"))]
        if counts[value] or value == verdict
    ]
    return ThemeLessons(
        groups=list(groups.values()),
        verdicts=options,
        verdict=verdict,
        case_count=shown_cases,
        windowed=windowed,
    )
