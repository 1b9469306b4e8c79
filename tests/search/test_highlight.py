"""Marking searched words in passages: folded forms, stems, and passages with no match."""

from search.highlight import fragments, marked


def test_accented_words_are_marked_by_their_folded_form():
    html = fragments(["Die Polizei übernahm die Überwachung des Platzes."], {"uberwachung"})
    assert html == ["Die Polizei übernahm die <mark>Überwachung</mark> des Platzes."]


def test_a_stem_marks_other_forms_of_the_word():
    assert marked("Recruiting officers online", {"recruitment"}) == (
        "<mark>Recruiting</mark> officers online"
    )


def test_passages_without_the_words_give_no_fragment_and_later_ones_are_read():
    texts = ["Nothing here about it.", "An apology, later, for the tweet."]
    assert fragments(texts, {"apology"}) == ["An <mark>apology</mark>, later, for the tweet."]
    assert fragments(["Nothing here about it."], {"apology"}) == []
