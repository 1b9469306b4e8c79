"""A case's evidence trail: its approved replications and the line that sums them up, e.g.
"Tried by 3 forces in 2 countries: 2 worked, 1 mixed." Built from one query however
many replications there are."""

from django.utils.translation import gettext, ngettext, pgettext

from cases.choices import Result
from cases.models import Replication
from cases.models.snippets import name_key


def result_phrases():
    """Each result's count phrase, in the active language (called when used, never frozen)."""
    return {
        # Translators: part of a case's evidence trail: "2 worked".
        Result.WORKED: lambda n: ngettext("%(count)s worked", "%(count)s worked", n),
        # Translators: part of a case's evidence trail: "1 promising".
        Result.PROMISING: lambda n: ngettext("%(count)s promising", "%(count)s promising", n),
        # Translators: part of a case's evidence trail: "1 mixed" (mixed results).
        Result.MIXED: lambda n: ngettext("%(count)s mixed", "%(count)s mixed", n),
        # Translators: part of a case's evidence trail: "1 did not work".
        Result.DID_NOT_WORK: lambda n: ngettext(
            "%(count)s did not work", "%(count)s did not work", n
        ),
    }


def approved_for(page) -> list[Replication]:
    return list(page.replications.approved().select_related("organisation"))


def summary(replications) -> str:
    """One sentence over the approved replications; "" when there are none."""
    if not replications:
        return ""
    forces = len({name_key(r.organisation_display) for r in replications})
    countries = len({r.country.code for r in replications})
    tally = {}
    for replication in replications:
        tally[replication.result] = tally.get(replication.result, 0) + 1
    phrases = result_phrases()
    results = pgettext("list separator", ", ").join(
        phrases[result](tally[result]) % {"count": tally[result]}
        for result in Result.values
        if result in tally
    )
    tried = ngettext("Tried by %(count)s force", "Tried by %(count)s forces", forces) % {
        "count": forces
    }
    where = ngettext("in %(count)s country", "in %(count)s countries", countries) % {
        "count": countries
    }
    # Translators: a case's evidence trail, e.g. "Tried by 3 forces" "in 2 countries"
    # "2 worked, 1 mixed". Reorder the parts as your language needs.
    return gettext("%(tried)s %(where)s: %(results)s.") % {
        "tried": tried,
        "where": where,
        "results": results,
    }
