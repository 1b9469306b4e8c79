"""What the site words in the reader's language without any .po file of its own: Django's
month names and decimal separators, pycountry's language names. And the vocabularies'
labels change language while the codes stored and compared stay English."""

import datetime
import json

import pytest

from django.utils import translation

from cases.choices import Evidence, Result, label_of
from cases.languages import language_name
from commonground.image_budget import too_many_pixels
from tests.factories import EventPageFactory


def test_language_names_follow_the_interface_language():
    with translation.override("fr"):
        assert language_name("nl-BE") == "Néerlandais"
    with translation.override("de"):
        assert language_name("nl") == "Niederländisch"
    assert language_name("nl") == "Dutch"
    assert language_name("xx") == "xx"


def test_labels_are_plain_text_and_codes_stay_english():
    with translation.override("nl"):
        label = label_of(Result, "did-not-work")
        assert json.dumps({"result": label})  # a str, not a lazy object
        assert Result.values == ["worked", "promising", "mixed", "did-not-work"]
        assert "independently-evaluated" in Evidence.values
    assert label_of(Result, "did-not-work") == "Did not work"
    assert label_of(Result, "gone") == ""


def test_image_refusals_use_the_readers_decimal_separator():
    assert too_many_pixels(42_100_000).messages == [
        "This image is 42.1 megapixels; images can be at most 40 megapixels."
    ]
    with translation.override("fr"):
        assert "42,1" in too_many_pixels(42_100_000).messages[0]


@pytest.mark.django_db
def test_event_dates_use_the_readers_month_names():
    event = EventPageFactory(
        title="Forum",
        start_date=datetime.date(2025, 2, 28),
        end_date=datetime.date(2025, 3, 2),
        date_precision="day",
    )
    assert event.dates_text == "28 February – 2 March 2025"
    with translation.override("fr"):
        assert event.dates_text == "28 février – 2 mars 2025"
    event.date_precision = "month"
    with translation.override("de"):
        assert event.dates_text == "Februar – März 2025"


def test_case_dates_in_words_follow_the_readers_language():
    from cases import dates
    from cases.choices import DatePrecision

    day = datetime.date(2024, 7, 29)
    assert dates.to_text(day, DatePrecision.DAY) == "29 July 2024"
    assert dates.to_text(day, DatePrecision.DAY, long=False) == "Jul 2024"
    with translation.override("de"):
        assert dates.to_text(day, DatePrecision.DAY) == "29. Juli 2024"
    with translation.override("fr"):
        # June and July are told apart on French cards ("juin", "juil."), not both "jui".
        assert dates.to_text(day, DatePrecision.MONTH, long=False) == "juil. 2024"
        assert dates.to_text(day.replace(month=6), DatePrecision.MONTH, long=False) == "juin 2024"
