"""The library at /cases/: filters, facet counts, chips, sorting, pagination, bad input."""

from datetime import UTC, date, datetime

import pytest

from cases.cache import bump_library_version
from cases.models import CaseStudyPage
from tests.factories import OrganisationFactory
from tests.helpers import html, import_cases, import_records, query_of, text

pytestmark = pytest.mark.django_db


def titles(soup):
    return [text(h) for h in soup.select(".case-list .case-card__title")]


def facet_counts(soup, facet):
    """{option value: count} of one facet, as rendered."""
    counts = {}
    for box in soup.select(f"input[type=checkbox][name={facet}]"):
        label = soup.find("label", attrs={"for": box["id"]})
        counts[box["value"]] = int(text(label.select_one(".count")).strip("()"))
    return counts


def checked(soup):
    return {(box["name"], box["value"]) for box in soup.select("input[type=checkbox][checked]")}


def chips(soup):
    """{chip text: href} of the active-filter chips."""
    return {
        text(a).removeprefix("Remove filter ").removesuffix(" ×"): a["href"]
        for a in soup.select(".chip-list--active a.chip")
    }


def notice(soup):
    element = soup.select_one(".notice[role=status]")
    return text(element) if element else ""


@pytest.fixture
def cases(db):
    """Five cases crafted so every facet has a known answer (imported: faster than the factory).

    c1 Alpha/GB   2019 [recruitment, crisis]    Twitter           en worked
    c2 Alpha/GB   2020 [recruitment]            Facebook          en mixed
    c3 Bravo/NL   2020 [crisis]                 Twitter           nl did-not-work
    c4 Bravo/NL   2021 [community]              Twitter, Facebook nl worked
    c5 Charlie/GB 2021 [recruitment, community] -                 en promising
    """
    rows = [
        ("c1", "Alpha Police", "GB", "2019-03-01", ["recruitment", "crisis-communication"],
         ["Twitter"], "en", "worked"),
        ("c2", "Alpha Police", "GB", "2020-05-01", ["recruitment"], ["Facebook"], "en", "mixed"),
        ("c3", "Bravo Politie", "NL", "2020-07-01", ["crisis-communication"], ["Twitter"], "nl",
         "did-not-work"),
        ("c4", "Bravo Politie", "NL", "2021-01-01", ["community-relations"],
         ["Twitter", "Facebook"], "nl", "worked"),
        ("c5", "Charlie Constabulary", "GB", "2021-06-01",
         ["recruitment", "community-relations"], [], "en", "promising"),
    ]  # fmt: skip
    keys = ("title", "organisation", "country", "published", "themes", "platforms")
    records = [
        dict(zip(keys, row[:6], strict=True), language=row[6], result=row[7]) for row in rows
    ]
    return {case.title: case for case in import_records(records)}


def found(client, query):
    return set(titles(html(client.get(f"/cases/?{query}"))))


# Filtering -------------------------------------------------------------------------------


def test_unfiltered_library_lists_every_live_case(client, cases):
    soup = html(client.get("/cases/"))
    assert set(titles(soup)) == {"c1", "c2", "c3", "c4", "c5"}
    assert text(soup.select_one(".results__count")).startswith("5 cases ·")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=recruitment", {"c1", "c2", "c5"}),
        ("country=NL", {"c3", "c4"}),
        ("organisation=alpha-police", {"c1", "c2"}),
        ("platform=x", {"c1", "c3", "c4"}),
        ("year=2020", {"c2", "c3"}),
        ("language=nl", {"c3", "c4"}),
        ("result=worked", {"c1", "c4"}),
    ],
)
def test_each_facet_filter_narrows_results(client, cases, query, expected):
    soup = html(client.get(f"/cases/?{query}"))
    assert set(titles(soup)) == expected
    assert f"{len(expected)} cases match your filters" in text(soup.select_one(".results__count"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=recruitment&theme=crisis-communication", {"c1", "c2", "c3", "c5"}),
        ("country=NL&country=GB", {"c1", "c2", "c3", "c4", "c5"}),
        ("organisation=alpha-police&organisation=charlie-constabulary", {"c1", "c2", "c5"}),
        ("year=2019&year=2021", {"c1", "c4", "c5"}),
        ("result=worked&result=promising", {"c1", "c4", "c5"}),
        ("platform=facebook&platform=x", {"c1", "c2", "c3", "c4"}),
    ],
)
def test_several_values_of_one_facet_are_ored(client, cases, query, expected):
    assert found(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=recruitment&platform=x", {"c1"}),
        ("theme=crisis-communication&theme=community-relations&country=NL", {"c3", "c4"}),
        ("year=2020&language=en", {"c2"}),
        ("result=worked&country=GB&theme=crisis-communication", {"c1"}),
        ("organisation=bravo-politie&result=promising", set()),
    ],
)
def test_different_facets_are_anded(client, cases, query, expected):
    assert found(client, query) == expected


def test_facet_counts_without_filters_count_every_live_case(client, cases):
    soup = html(client.get("/cases/"))
    assert facet_counts(soup, "theme") == {
        "community-relations": 2,
        "crisis-communication": 2,
        "recruitment": 3,
    }
    assert facet_counts(soup, "country") == {"NL": 2, "GB": 3}
    assert facet_counts(soup, "year") == {"2021": 2, "2020": 2, "2019": 1}
    assert facet_counts(soup, "platform") == {"facebook": 2, "x": 3}


def test_facet_counts_apply_other_filters_but_not_their_own(client, cases):
    soup = html(client.get("/cases/?theme=recruitment"))

    # The theme facet ignores the theme filter: ticking another theme adds cases.
    assert facet_counts(soup, "theme") == {
        "community-relations": 2,
        "crisis-communication": 2,
        "recruitment": 3,
    }
    # Every other facet counts only c1, c2 and c5.
    assert facet_counts(soup, "country") == {"GB": 3}
    assert facet_counts(soup, "organisation") == {"alpha-police": 2, "charlie-constabulary": 1}
    assert facet_counts(soup, "platform") == {"facebook": 1, "x": 1}
    assert facet_counts(soup, "year") == {"2021": 1, "2020": 1, "2019": 1}
    assert facet_counts(soup, "language") == {"en": 3}
    assert facet_counts(soup, "result") == {"worked": 1, "mixed": 1, "promising": 1}


def test_facet_counts_with_two_facets_selected(client, cases):
    soup = html(client.get("/cases/?theme=crisis-communication&country=NL"))

    assert facet_counts(soup, "theme") == {"crisis-communication": 1, "community-relations": 1}
    assert facet_counts(soup, "country") == {"GB": 1, "NL": 1}
    assert facet_counts(soup, "organisation") == {"bravo-politie": 1}
    assert facet_counts(soup, "platform") == {"x": 1}
    assert facet_counts(soup, "year") == {"2020": 1}
    assert facet_counts(soup, "language") == {"nl": 1}
    assert facet_counts(soup, "result") == {"did-not-work": 1}


def test_facet_options_are_labelled_by_name(client, cases):
    soup = html(client.get("/cases/"))
    labels = {
        text(soup.find("label", attrs={"for": box["id"]})).rsplit(" (", 1)[0]
        for box in soup.select("input[name=language], input[name=result], input[name=country]")
    }
    assert {"Dutch", "English", "Did not work", "Mixed results", "Netherlands"} <= labels


def test_selected_options_are_checked(client, cases):
    soup = html(client.get("/cases/?theme=recruitment&theme=crisis-communication&country=GB"))
    assert checked(soup) == {
        ("theme", "recruitment"),
        ("theme", "crisis-communication"),
        ("country", "GB"),
    }


def test_selected_theme_with_no_matching_case_stays_checked(client, cases):
    soup = html(client.get("/cases/?theme=wellbeing-and-resilience&country=NL"))
    assert ("theme", "wellbeing-and-resilience") in checked(soup)
    assert facet_counts(soup, "theme")["wellbeing-and-resilience"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "year=2019&country=NL",
        "country=NL&theme=recruitment",
        "language=nl&result=promising",
    ],
)
def test_selected_option_with_zero_count_stays_checked(client, cases, query):
    soup = html(client.get(f"/cases/?{query}"))
    selected = {tuple(pair.split("=")) for pair in query.split("&")}
    assert checked(soup) == selected


def test_selected_quiet_organisation_shows_its_real_count(client, make_case):
    for n in range(20):
        busy = OrganisationFactory(name=f"Busy Police {n:02d}")
        make_case(organisation=busy)
        make_case(organisation=busy)
    quiet = OrganisationFactory(name="Quiet Police")
    make_case(organisation=quiet)

    soup = html(client.get(f"/cases/?organisation={quiet.slug}"))

    assert facet_counts(soup, "organisation")[quiet.slug] == 1


# Active filter chips ------------------------------------------------------------------


def test_each_chip_links_to_the_query_without_just_that_filter(client, cases):
    soup = html(
        client.get(
            "/cases/?theme=recruitment&theme=crisis-communication&country=GB&sort=oldest&page=1"
        )
    )
    links = {label: query_of(href) for label, href in chips(soup).items()}

    assert links == {
        "Theme: Recruitment": {
            "theme": ["crisis-communication"],
            "country": ["GB"],
            "sort": ["oldest"],
        },
        "Theme: Crisis communication": {
            "theme": ["recruitment"],
            "country": ["GB"],
            "sort": ["oldest"],
        },
        "Country: United Kingdom": {
            "theme": ["recruitment", "crisis-communication"],
            "sort": ["oldest"],
        },
    }


def test_following_a_chip_removes_that_filter(client, cases):
    soup = html(client.get("/cases/?theme=recruitment&country=GB"))
    href = chips(soup)["Country: United Kingdom"]

    after = html(client.get(f"/cases/{href}"))

    assert set(titles(after)) == {"c1", "c2", "c5"}
    assert list(chips(after)) == ["Theme: Recruitment"]


def test_chips_show_readable_labels(client, cases):
    soup = html(
        client.get(
            "/cases/?organisation=bravo-politie&language=nl&result=did-not-work&year=2020"
            "&platform=x"
        )
    )
    assert set(chips(soup)) == {
        "Organisation: Bravo Politie",
        "Language: Dutch",
        "Result: Did not work",
        "Year: 2020",
        "Platform: X (formerly Twitter)",
    }


def test_chip_removes_a_country_given_in_lower_case(client, cases):
    soup = html(client.get("/cases/?country=nl&theme=crisis-communication"))
    href = chips(soup)["Country: Netherlands"]
    assert query_of(href) == {"theme": ["crisis-communication"]}


def test_no_chips_without_filters(client, cases):
    assert chips(html(client.get("/cases/"))) == {}


# Sorting --------------------------------------------------------------------------------


@pytest.fixture
def sortable(make_case):
    make_case(title="Banana", case_date=date(2021, 1, 1))
    make_case(title="apple", case_date=date(2019, 1, 1))
    make_case(title="Cherry", case_date=date(2022, 1, 1))
    make_case(title="Date", case_date=date(2020, 1, 1))


def selected_sort(soup):
    return soup.select_one("select[name=sort] option[selected]")["value"]


@pytest.mark.parametrize(
    ("sort", "expected", "shown"),
    [
        ("newest", ["Cherry", "Banana", "Date", "apple"], "newest"),
        ("oldest", ["apple", "Date", "Banana", "Cherry"], "oldest"),
        ("", ["Cherry", "Banana", "Date", "apple"], "newest"),
        ("bogus", ["Cherry", "Banana", "Date", "apple"], "newest"),
    ],
)
def test_sort_orders_by_date(client, sortable, sort, expected, shown):
    soup = html(client.get(f"/cases/?sort={sort}", follow=True))  # an empty one: redirected
    assert titles(soup) == expected
    assert selected_sort(soup) == shown


def test_sort_by_recently_added_lists_the_last_published_first(client, sortable):
    # The case that happened earliest was added last; two added at once: the newer row first.
    added = {
        "apple": datetime(2025, 6, 1, tzinfo=UTC),
        "Banana": datetime(2024, 1, 3, tzinfo=UTC),
        "Cherry": datetime(2024, 1, 1, tzinfo=UTC),
        "Date": datetime(2024, 1, 1, tzinfo=UTC),
    }
    for title, when in added.items():
        CaseStudyPage.objects.filter(title=title).update(first_published_at=when)
    bump_library_version()

    soup = html(client.get("/cases/?sort=added"))
    assert titles(soup) == ["apple", "Banana", "Date", "Cherry"]
    assert selected_sort(soup) == "added"


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Recently added"),
        ("nl", "Recent toegevoegd"),
        ("fr", "Ajoutés récemment"),
        ("de", "Zuletzt hinzugefügt"),
        ("es", "Añadidos recientemente"),
    ],
)
def test_the_sort_menu_offers_recently_added(client, sortable, language, label):
    soup = html(client.get("/cases/", HTTP_ACCEPT_LANGUAGE=language))
    options = {o["value"]: text(o) for o in soup.select("select[name=sort] option")}
    assert options["added"] == label
    assert list(options) == ["newest", "oldest", "added", "title"]


def test_sort_by_title(client, sortable):
    soup = html(client.get("/cases/?sort=title"))
    assert titles(soup) == ["apple", "Banana", "Cherry", "Date"]
    assert selected_sort(soup) == "title"


def test_sort_by_title_ignores_case(client, sortable, make_case):
    make_case(title="Étoile", case_date=date(2018, 1, 1))
    assert titles(html(client.get("/cases/?sort=title"))) == [
        "apple",
        "Banana",
        "Cherry",
        "Date",
        "Étoile",
    ]


# Pagination -----------------------------------------------------------------------------


@pytest.fixture
def twenty_five(db):
    return import_cases(25, themes=["recruitment"], country="GB")


def page_status(soup):
    element = soup.select_one(".pagination__status")
    return text(element) if element else None


def test_first_page_holds_twenty_cases(client, twenty_five):
    soup = html(client.get("/cases/"))
    assert len(titles(soup)) == 20
    assert page_status(soup) == "Page 1 of 2"
    assert text(soup.select_one(".results__count")).startswith("25 cases")


def test_second_page_holds_the_rest(client, twenty_five):
    first = titles(html(client.get("/cases/")))
    second = titles(html(client.get("/cases/?page=2")))
    assert len(second) == 5
    assert not set(first) & set(second)
    assert {c.title for c in twenty_five} == set(first) | set(second)


@pytest.mark.parametrize(
    ("page", "status"),
    [("abc", "Page 1 of 2"), ("99999", "Page 2 of 2"), ("0", "Page 2 of 2"), ("", "Page 1 of 2")],
)
def test_out_of_range_or_bad_page_numbers_fall_back(client, twenty_five, page, status):
    # An empty page number is redirected to the address without it.
    assert page_status(html(client.get(f"/cases/?page={page}", follow=True))) == status


def test_pagination_links_keep_the_filters(client, twenty_five, make_case):
    make_case(title="Other theme", themes=["crisis-communication"])
    soup = html(client.get("/cases/?theme=recruitment&sort=oldest"))

    next_link = soup.select_one(".pagination a[rel=next]")
    assert query_of(next_link["href"]) == {
        "theme": ["recruitment"],
        "sort": ["oldest"],
        "page": ["2"],
    }
    for link in soup.select(".pagination a"):
        assert query_of(link["href"])["theme"] == ["recruitment"]

    second = html(client.get(f"/cases/{next_link['href']}"))
    assert page_status(second) == "Page 2 of 2"
    assert len(titles(second)) == 5
    prev_link = second.select_one(".pagination a[rel=prev]")
    assert query_of(prev_link["href"]) == {
        "theme": ["recruitment"],
        "sort": ["oldest"],
        "page": ["1"],
    }


@pytest.mark.parametrize(
    ("language", "previous", "following"),
    [
        ("en-gb", "← Previous page", "Next page →"),
        ("fr", "← Page précédente", "Page suivante →"),
        ("nl", "← Vorige pagina", "Volgende pagina →"),
        ("de", "← Vorherige Seite", "Nächste Seite →"),
        ("es", "← Página anterior", "Página siguiente →"),
    ],
)
def test_pagination_names_each_link_in_one_phrase(client, db, language, previous, following):
    """Not "Précédente page": each link's text is one translated phrase."""
    import_cases(41)
    client.cookies["django_language"] = language
    soup = html(client.get("/cases/?page=2"))
    assert text(soup.select_one(".pagination a[rel=prev]")) == previous
    assert text(soup.select_one(".pagination a[rel=next]")) == following


def test_empty_fields_of_the_filter_form_are_dropped_from_the_address(client, twenty_five):
    """Without JavaScript "Apply filters" sends the empty year fields too: the library
    redirects to the address without them, and its links carry none."""
    response = client.get("/cases/?sort=oldest&theme=recruitment&year_from=&year_to=")
    assert response.status_code == 302
    assert response["Location"] == "/cases/?sort=oldest&theme=recruitment"
    soup = html(client.get(response["Location"]))
    links = [a["href"] for a in soup.select(".pagination a, .results__export a, a.chip")]
    assert len(links) >= 3
    assert all(value for href in links for values in query_of(href).values() for value in values)


def test_a_reversed_year_range_is_turned_the_right_way_round(client, twenty_five):
    """A range from 2021 to 2015 would find nothing: the library redirects to 2015-2021,
    keeping the other filters."""
    response = client.get("/cases/?theme=recruitment&year_from=2021&year_to=2015")
    assert response.status_code == 302
    assert query_of(response["Location"]) == {
        "theme": ["recruitment"],
        "year_from": ["2015"],
        "year_to": ["2021"],
    }
    assert client.get(response["Location"]).status_code == 200
    # A range the right way round, or with one end not a year, is left alone.
    assert client.get("/cases/?year_from=2015&year_to=2021").status_code == 200
    assert client.get("/cases/?year_from=2021&year_to=abc").status_code == 200


def test_pagination_links_keep_known_filters_and_drop_odd_ones(client, twenty_five):
    response = client.get("/cases/", {"theme": ["recruitment", '"><script>x</script>']})
    content = response.content.decode()
    assert "<script" not in content.lower()
    next_link = html(response).select_one(".pagination a[rel=next]")
    assert query_of(next_link["href"])["theme"] == ["recruitment"]


def test_no_pagination_with_one_page(client, cases):
    assert html(client.get("/cases/")).select_one(".pagination") is None


# Unknown and odd parameters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("theme", "no-such-theme"),
        ("organisation", "no-such-force"),
        ("platform", "myspace"),
        ("country", "zz"),
        ("year", "abc"),
        ("year", "1066"),
        ("language", "!!"),
        ("result", "bogus"),
    ],
)
def test_unknown_filter_value_is_ignored_with_a_notice(client, cases, param, value):
    soup = html(client.get("/cases/", {param: value}))

    assert set(titles(soup)) == {"c1", "c2", "c3", "c4", "c5"}
    message = notice(soup)
    assert "not recognised and have been ignored" in message
    assert f"{param} “{value.upper() if param == 'country' else value}”" in message
    assert chips(soup) == {}


def test_unknown_value_beside_a_known_one_keeps_the_known_filter(client, cases):
    soup = html(client.get("/cases/?theme=recruitment&theme=nope"))
    assert set(titles(soup)) == {"c1", "c2", "c5"}
    assert "theme “nope”" in notice(soup)
    assert list(chips(soup)) == ["Theme: Recruitment"]


def test_no_notice_when_every_filter_is_known(client, cases):
    assert notice(html(client.get("/cases/?theme=recruitment&year=2020"))) == ""


def test_unknown_language_code_is_ignored_with_a_notice(client, cases):
    soup = html(client.get("/cases/?language=zz"))
    assert "language “zz”" in notice(soup)
    assert len(titles(soup)) == 5


ODD_VALUES = {
    "long": "x" * 5000,
    "unicode": "Ünïcödé ✓ 東京 😀",
    "script": '<script>alert("x")</script>',
}
PARAMS = ["theme", "country", "organisation", "platform", "year", "language", "result"]


@pytest.mark.parametrize("kind", list(ODD_VALUES))
def test_odd_parameters_never_break_the_page_and_are_escaped(client, cases, kind):
    value = ODD_VALUES[kind]
    for param in [*PARAMS, "sort", "page"]:
        response = client.get("/cases/", {param: value})
        assert response.status_code == 200, param
        content = response.content.decode()
        assert "<script" not in content.lower(), param
        soup = html(response)
        assert len(titles(soup)) == 5, param
        if param in PARAMS:
            assert f"{param} “" in notice(soup), param
    soup = html(client.get("/cases/", {"theme": ODD_VALUES["script"]}))
    assert 'theme “<script>alert("x")</script>”' in notice(soup)


def test_long_parameter_is_truncated_in_the_notice(client, cases):
    message = notice(html(client.get("/cases/", {"theme": "x" * 5000})))
    assert "x" * 39 + "…" in message
    assert "x" * 41 not in message


def test_many_values_for_every_facet_do_not_break_the_page(client, cases):
    params = {name: [f"v{i}" for i in range(200)] for name in PARAMS}
    response = client.get("/cases/", params)
    assert response.status_code == 200
    assert len(titles(html(response))) == 5


def test_superscript_digit_year_is_ignored_not_an_error(client, cases):
    client.raise_request_exception = False
    response = client.get("/cases/", {"year": "²"})
    assert response.status_code == 200
    assert "year “²”" in notice(html(response))


# Empty state and drafts ----------------------------------------------------------------


def test_no_match_shows_empty_state_with_clear_all_link(client, cases):
    soup = html(client.get("/cases/?theme=recruitment&country=NL"))

    assert titles(soup) == []
    empty = soup.select_one(".empty-state")
    assert text(empty.find("h3")) == "No cases match these filters"
    clear = empty.find("a", string="clear all filters")
    assert clear["href"] == "/cases/"
    assert text(soup.select_one(".results__count")).startswith("0 cases match your filters")


def test_clear_all_button_only_when_filtered(client, cases):
    filtered = html(client.get("/cases/?theme=recruitment"))
    assert filtered.select_one(".filters__actions a")["href"] == "/cases/"
    assert html(client.get("/cases/")).select_one(".filters__actions a") is None


def test_drafts_never_appear_nor_count(client, make_case):
    make_case(title="Live case", themes=["recruitment"], country="GB")
    draft = make_case(title="Draft case", themes=["recruitment"], country="NL", language="nl")
    draft.unpublish()

    for query in ["", "theme=recruitment", "country=NL", "language=nl", "sort=title"]:
        soup = html(client.get(f"/cases/?{query}"))
        assert "Draft case" not in titles(soup), query
    soup = html(client.get("/cases/"))
    assert titles(soup) == ["Live case"]
    assert facet_counts(soup, "theme") == {"recruitment": 1}
    assert facet_counts(soup, "country") == {"GB": 1}
    assert "nl" not in facet_counts(soup, "language")


def test_counts_follow_publishing_and_unpublishing(
    client, make_case, django_capture_on_commit_callbacks
):
    # Facet counts are cached until the library changes; the change is signalled when the
    # publishing transaction commits, which the callbacks fixture runs here.
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case(themes=["recruitment"], country="GB")
    assert facet_counts(html(client.get("/cases/")), "theme") == {"recruitment": 1}

    with django_capture_on_commit_callbacks(execute=True):
        make_case(themes=["recruitment"], country="NL")
    soup = html(client.get("/cases/"))
    assert facet_counts(soup, "theme") == {"recruitment": 2}
    assert facet_counts(soup, "country") == {"NL": 1, "GB": 1}

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    soup = html(client.get("/cases/"))
    assert facet_counts(soup, "theme") == {"recruitment": 1}
    assert facet_counts(soup, "country") == {"NL": 1}


def test_renamed_organisation_shows_its_new_name_in_the_facet(
    client, make_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name="Old Name Police")
        make_case(organisation=organisation)
    soup = html(client.get("/cases/"))
    assert "Old Name Police (1)" in text(soup.select_one("fieldset:has(input[name=organisation])"))

    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "New Name Police"
        organisation.save()
    facet = text(html(client.get("/cases/")).select_one("fieldset:has(input[name=organisation])"))
    assert "New Name Police (1)" in facet
    assert "Old Name Police" not in facet


def test_year_filter_follows_a_republished_case_date(client, make_case):
    case = make_case(title="Moved", case_date=date(2019, 6, 1))
    case.case_date = date(2022, 6, 1)
    case.save_revision().publish()

    assert found(client, "year=2022") == {"Moved"}
    assert found(client, "year=2019") == set()
    assert facet_counts(html(client.get("/cases/")), "year") == {"2022": 1}
