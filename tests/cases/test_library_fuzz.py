"""Whatever a visitor puts in the library's query string, the answer is a page, not an error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.listing import FACETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(make_case):
    make_case(themes=["recruitment"], country="NL", language="nl")
    make_case(themes=["crisis-communication"], platforms=["Twitter"], result="mixed")


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=60)
values = st.one_of(
    text,
    st.sampled_from(
        ["recruitment", "GB", "gb", "2014", "²", "nl", "worked", "-1", "0", "1e9", "<script>x"]
    ),
)
params = st.dictionaries(
    st.sampled_from([*FACETS, "sort", "page", "q", "unknown"]),
    st.lists(values, min_size=1, max_size=3),
    max_size=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=params)
def test_any_filter_parameters_give_a_page(client, two_cases, query):
    # Empty values are redirected away once (commonground/query_strings.py), then a page.
    response = client.get("/cases/", query, follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 1
    assert b"<script" not in response.content.lower()  # the site has no scripts; input is text
