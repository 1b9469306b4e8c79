import pytest
from search.query import SearchQuery
from search.service import get_search_service
from tests.search.test_answers import case
from search.models import SearchEntry

@pytest.mark.django_db
def test_probe(add_cases):
    add_cases(
        case("filed-under-it", title="Live updates while the town flooded",
            summary="Hourly posts kept residents away from the river.", themes=["crisis-communication"]),
        case("words-only", title="A new newsletter for neighbourhood teams",
            summary="The team wrote about crisis communication in its monthly newsletter.",
            body="The newsletter covered crisis communication training dates and rotas.",
            themes=["engagement-and-content"]),
        *(case(f"other-{n}", title=f"Recruitment fair {n}", themes=["recruitment"]) for n in range(4)),
    )
    for e in SearchEntry.objects.all():
        print({f: getattr(e, f) for f in ("title","summary","body","taxonomy","themes","organisation")})
    for q in ["crisis communication", "crisis", "communication", "communications team", "crisi"]:
        r = get_search_service().search(SearchQuery(q))
        print(q, [(h.external_id, h.score) for h in r.hits], r.total_all_words)
    assert False
