"""Whatever a member posts to /contribute/ and /contribute/<id>/edit/, the answer is never a
500 and a refusal stores nothing: when the form comes back with errors, or the post is
refused, there is no new page, revision or organisation, and the only new images are the
uploads that passed the checks within the member's allowance, each one carried by the form
shown again (so it need not be chosen twice)."""

import io
import time
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model
from wagtail.models import Revision

from cases.contribute.forms import IMAGE_SLOTS, ContributionForm
from cases.contribute.uploads import image_token, token_image_id
from cases.models import CaseStudyPage, Organisation, Theme
from tests.contribute.conftest import make_user
from tests.helpers import html

pytestmark = pytest.mark.django_db

FIELDS = list(ContributionForm.base_fields)  # the honeypot too
SLOT_FIELDS = [
    name
    for slot in IMAGE_SLOTS
    for name in (slot.alt, slot.remove, slot.caption_field)
    if name is not None
]
ACTIONS = ["save", "preview", "submit", "delete", "", "SAVE", "save\x00", "submit "]

characters = st.characters(codec="utf-8", exclude_categories=("Cs",))
text = st.text(characters, max_size=80)
values = st.one_of(
    text,
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "Line\r\nBcc: victim@example.org",
            "a\u2028b\u202ec\u200b",
            "2024-03-18",
            "9999-99-99",
            "BE",
            "en",
            "worked",
            "1",
            "-1",
            "1e9",
            "<script>alert(1)</script>",
            "Followers: 10\nno colon here",
            "https://example.org/\x01",
        ]
    ),
    st.integers(min_value=1, max_value=200).map(lambda n: "long line " * n),
    st.just("x" * 60_000),  # past every text limit
)
# Now and then one field past Django's request size limit (the answer is a 400).
HUGE = st.sampled_from([None] * 7 + ["title", "body", "image_1_caption"])


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


FILES = st.one_of(
    st.just(jpeg()),
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"GIF89a" + b"\x00" * 40,
            jpeg()[:200],  # truncated
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        ]
    ),
)
TOKENS = st.sampled_from(["forged", "other", "expired", "deleted", "own", "junk"])


@pytest.fixture
def people(db):
    member = make_user("fuzz@example.org")
    other = make_user("other-fuzz@example.org")
    return member, other


def stored_image(user):
    from tests.factories import ImageFactory

    return ImageFactory(uploaded_by_user=user)


def kept_token(kind, member, other):
    if kind == "forged":
        return image_token(get_image_model()(pk=10**9), member)[:-3] + "abc"
    if kind == "other":
        return image_token(stored_image(other), other)
    if kind == "expired":
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 30 * 86400):
            return image_token(stored_image(member), member)
    if kind == "deleted":
        image = stored_image(member)
        token = image_token(image, member)
        image.delete()
        return token
    if kind == "own":
        return image_token(stored_image(member), member)
    return "junk\x00token"


def counts():
    return (
        CaseStudyPage.objects.count(),
        Revision.objects.count(),
        Organisation.objects.count(),
    )


# A valid contribution with a few fields changed, so that some posts succeed.
body = st.dictionaries(
    st.sampled_from([*FIELDS, *SLOT_FIELDS, "themes", "unknown", "action"]),
    values,
    max_size=4,
).flatmap(
    lambda changes: st.fixed_dictionaries(
        {
            **{name: st.just(value) for name, value in changes.items()},
            "themes": st.lists(st.one_of(values, st.just("THEME")), max_size=3)
            if "themes" in changes
            else st.just(["THEME"]),
            "action": st.sampled_from(ACTIONS),
        }
    )
)
files = st.dictionaries(st.sampled_from([slot.file for slot in IMAGE_SLOTS]), FILES, max_size=3)
tokens = st.dictionaries(st.sampled_from([slot.kept for slot in IMAGE_SLOTS]), TOKENS, max_size=2)
extra_keys = st.dictionaries(text, values, max_size=3)
everything = st.fixed_dictionaries(
    {"data": body, "uploads": files, "kept": tokens, "extra": extra_keys, "huge": HUGE}
)


def check_post(client, url, member, other, contribution_data, case):
    data, uploads, kept = case["data"], case["uploads"], case["kept"]
    theme = str(Theme.objects.order_by("pk").first().pk)
    post = {**contribution_data, **case["extra"], **data}
    if case["huge"]:
        post[case["huge"]] = "y" * 3_000_000
    post["themes"] = [theme if v == "THEME" else v for v in data["themes"]]
    for name, kind in kept.items():
        post[name] = kept_token(kind, member, other)
    for name, content in uploads.items():
        post[name] = SimpleUploadedFile(f"{name}.jpg", content, content_type="image/jpeg")
    before, images_before = counts(), set(get_image_model().objects.values_list("pk", flat=True))

    response = client.post(url, post)

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 400), response.status_code
    new_images = set(get_image_model().objects.values_list("pk", flat=True)) - images_before
    event(f"{len(new_images)} new images")
    if response.status_code == 302:
        page = CaseStudyPage.objects.filter(contributor=member).order_by("-pk").first()
        draft = page.get_latest_revision_as_object()
        # A draft needs only a title: it may have no organisation yet.
        organisation = draft.organisation.name if draft.organisation else ""
        for value in (draft.title, draft.summary, organisation, draft.hero_alt):
            assert "\n" not in value and "\r" not in value and "\x00" not in value
        return
    assert counts() == before
    assert len(new_images) <= len([c for c in uploads.values() if c == jpeg()])
    if new_images:  # each one is carried by the form shown again
        doc = html(response)
        carried = {
            token_image_id(doc.select_one(f"#id_{slot.kept}").get("value", ""), member)
            for slot in IMAGE_SLOTS
        }
        assert new_images <= carried


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# The attack that broke moderation e-mails: a title with a line break, sent for review.
HEADER_INJECTION = {
    "data": {
        "title": "Newline title\r\nBcc: victim@example.org",
        "hero_alt": "Officers\r\nat the desk",
        "themes": ["THEME"],
        "action": "submit",
    },
    "uploads": {"hero_file": jpeg()},
    "kept": {},
    "extra": {},
    "huge": None,
}


@FUZZ
@example(case=HEADER_INJECTION)
@given(case=everything)
def test_any_post_to_the_new_contribution_form(client, people, contribution_data, case):
    """With the default allowances, which the examples soon use up: refusals too."""
    member, other = people
    client.force_login(member)
    check_post(client, "/contribute/", member, other, contribution_data, case)


@FUZZ
@given(case=everything)
def test_any_post_to_the_edit_form(client, people, contribution_data, settings, case):
    """Each example edits a new draft, with allowances that leave room for every upload."""
    settings.CONTRIBUTIONS_PER_DAY = settings.CONTRIBUTION_PENDING_IMAGES = 10_000
    member, other = people
    client.force_login(member)
    client.post("/contribute/", {**contribution_data, "action": "save"})
    draft = CaseStudyPage.objects.filter(contributor=member).latest("pk")
    check_post(client, f"/contribute/{draft.pk}/edit/", member, other, contribution_data, case)
