"""The interface in five languages: Accept-Language on a first visit, the switcher and its
cookie, a member's stored choice applied at sign-in, <html lang>, translated validation
messages, and e-mails in their recipient's language naming the site and BASE_URL."""

import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.core import mail
from django.urls import reverse

from cases.models import ModerationRecord
from commonground.members.models import MemberProfile
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def html_lang(response) -> str:
    return page(response).html["lang"]


def choose(client, code, next_url="/accounts/login/"):
    return client.post(reverse("set_language"), {"language": code, "next": next_url})


def test_a_first_visit_follows_accept_language(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")

    assert html_lang(response) == "fr"
    assert page(response).h1.get_text(strip=True) == "Se connecter"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert response["Content-Language"] == "fr"


def test_an_unknown_language_falls_back_to_british_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja")

    assert html_lang(response) == "en-gb"
    assert page(response).h1.get_text(strip=True) == "Sign in"


def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")

    buttons = page(response).select(".language-switcher button[name=language]")
    assert [(b["value"], b["lang"], b.get_text(strip=True)) for b in buttons] == [
        ("en-gb", "en-gb", "English"),
        ("nl", "nl", "Nederlands"),
        ("fr", "fr", "Français"),
        ("de", "de", "Deutsch"),
        ("es", "es", "Español"),
    ]
    assert [b["value"] for b in buttons if b.get("aria-current") == "true"] == ["de"]
    form = page(response).select_one("form.language-switcher")
    assert form["method"] == "post" and form["action"] == reverse("set_language")
    assert form.select_one("input[name=next]")["value"] == "/accounts/login/"


def test_the_switcher_sets_the_cookie_and_the_choice_holds_on_other_pages(client):
    response = choose(client, "nl", "/accounts/signup/?next=/contribute/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?next=/contribute/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    # The cookie outranks the browser's Accept-Language from now on.
    for path in ("/accounts/signup/", "/accounts/login/", "/no-such-page/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert html_lang(response) == "nl", path
    assert page(client.get("/accounts/signup/")).h1.get_text(strip=True) == (
        "Lid worden van Common Ground"
    )


def test_a_language_the_site_does_not_offer_changes_nothing(client):
    choose(client, "it")

    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert html_lang(client.get("/accounts/login/")) == "en-gb"


def test_a_signed_in_members_choice_is_stored_and_applied_at_the_next_sign_in(client):
    member = make_member()
    client.force_login(member)
    # The switcher carries a CSRF token for members; use the page's form as a browser would.
    client.handler.enforce_csrf_checks = True
    form = page(client.get("/accounts/profile/")).select_one("form.language-switcher")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    client.post(
        reverse("set_language"),
        {"language": "es", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert MemberProfile.objects.get(user=member).language == "es"

    browser = type(client)()  # another browser, no language cookie, asking for English
    response = browser.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert html_lang(browser.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_a_forged_post_never_changes_a_members_stored_language(client):
    member = make_member()
    client.force_login(member)
    client.handler.enforce_csrf_checks = True

    choose(client, "de", "/")

    assert MemberProfile.objects.get(user=member).language == ""


def test_a_member_without_a_stored_language_keeps_the_one_they_signed_in_with(client):
    member = make_member()

    client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert MemberProfile.objects.get(user=member).language == "nl"


def test_case_text_is_marked_with_the_cases_language_inside_the_interfaces(client, make_case):
    case = make_case(title="Buurtagenten op Twitter", language="nl")

    response = client.get(case.url, HTTP_ACCEPT_LANGUAGE="fr")

    assert html_lang(response) == "fr"
    assert page(response).select_one("article.case")["lang"] == "nl"
    listing = page(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="fr"))
    title = listing.find("a", string="Buurtagenten op Twitter")
    assert title["lang"] == "nl"


def test_validation_messages_come_in_german_on_a_german_form(client):
    response = client.post(
        reverse("account_signup"),
        {"display_name": "", "email": "neu@example.org", "password1": "1", "password2": "1"},
        HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9",
    )

    soup = page(response)
    text = soup.get_text(" ", strip=True)
    assert "Dieses Feld muss ausgefüllt werden." in text  # Django's own catalogue
    assert "This field is required." not in text
    assert soup.find("label", attrs={"for": "id_display_name"}).get_text(strip=True) == (
        "Ihr Name"
    )
    assert soup.select_one("input[name=email]")["value"] == "neu@example.org"  # kept


def test_the_sites_own_validation_messages_are_translated(client):
    member = make_member()
    client.force_login(member)
    choose(client, "de", "/accounts/profile/")

    response = client.post(
        reverse("account_profile"),
        {"display_name": "Jane Doe", "bio": "Klingel\x07Zeichen", "role": "Getippt"},
    )

    soup = page(response)
    assert (
        soup.find(id="id_bio_error")
        .get_text(strip=True)
        .startswith("Dieser Text enthält Steuerzeichen")
    )
    assert soup.find(id="id_role")["value"] == "Getippt"


def test_the_sign_in_page_has_one_wording_for_the_password_link(client):
    text = page(client.get("/accounts/login/")).get_text(" ", strip=True)

    assert text.count("Forgotten your password?") == 1
    assert "Forgot your password?" not in text


def test_join_is_called_join_everywhere(client):
    soup = page(client.get("/accounts/signup/"))

    assert soup.h1.get_text(strip=True) == "Join Common Ground"
    assert soup.title.get_text(strip=True).startswith("Join Common Ground")
    assert soup.select_one("main form button[type=submit]").get_text(strip=True) == "Join"
    assert not {"Sign Up", "Signup", "Sign up"} & set(soup.stripped_strings)


def test_allauth_headings_are_in_sentence_case(client):
    soup = page(client.get("/accounts/password/reset/"))

    assert soup.h1.get_text(strip=True) == "Password reset"
    assert "Reset my password" in soup.get_text()


# E-mails --------------------------------------------------------------------------------


@pytest.fixture
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example"
    return "commonground.example"


def assert_names_the_site(message, host):
    assert "Common Ground" in message.subject, message.subject
    assert "Common Ground" in message.body
    assert host in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body


def test_the_signup_email_names_the_site_and_links_to_base_url(client, public_address):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Sam Carter",
            "email": "sam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    (message,) = mail.outbox
    assert_names_the_site(message, public_address)
    assert message.subject == "[Common Ground] Please confirm your email address"
    assert f"https://{public_address}/accounts/confirm-email/" in message.body


def test_a_signup_email_goes_out_in_the_language_of_the_page(client, public_address):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Sam Carter",
            "email": "sam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    (message,) = mail.outbox
    assert "Bonjour de la part de Common Ground" in message.body
    assert "Pour confirmer l’adresse" in message.body
    assert_names_the_site(message, public_address)


def test_a_password_reset_is_written_in_the_members_language(client, public_address):
    member = make_member()
    MemberProfile.objects.filter(user=member).update(language="de")

    client.post(
        reverse("account_reset_password"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="en"
    )

    (message,) = mail.outbox
    assert_names_the_site(message, public_address)
    assert "Eine Nachricht von Common Ground" in message.body
    assert f"https://{public_address}/accounts/password/reset/key/" in message.body


def test_an_unknown_address_gets_the_english_email_naming_the_site(client, public_address):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    (message,) = mail.outbox
    assert message.subject == "[Common Ground] Unknown account"
    assert_names_the_site(message, public_address)
    assert f"https://{public_address}/accounts/signup/" in message.body


def test_a_decision_email_is_in_the_contributors_language(
    public_address, make_case, django_capture_on_commit_callbacks
):
    member = make_member()
    MemberProfile.objects.filter(user=member).update(language="es")
    case = make_case(title="Una campaña")
    case.contributor = member
    case.save(update_fields=["contributor"])

    with django_capture_on_commit_callbacks(execute=True):
        ModerationRecord.record(case, ModerationRecord.Action.REJECTED, None)

    (message,) = mail.outbox
    assert message.subject == "[Common Ground] Su caso práctico no ha sido aceptado: Una campaña"
    assert "ha decidido no publicarlo" in message.body
    assert_names_the_site(message, public_address)


def test_the_moderators_notice_names_the_site_in_the_moderators_language(make_case):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    case = make_case(title="Night shift")
    context = {"settings": settings, "page": case, "task": SimpleNamespace(name="Review")}

    subject = render_to_string(
        "wagtailadmin/notifications/task_state_submitted_subject.txt", context
    ).strip()
    with translation.override("nl"):
        dutch = render_to_string(
            "wagtailadmin/notifications/task_state_submitted_subject.txt", context
        ).strip()

    assert subject.startswith('[Common Ground] The page "Night shift" has been submitted')
    assert dutch.startswith("[Common Ground] ") and "Night shift" in dutch
    assert dutch != subject  # Wagtail's own Dutch


def test_the_admin_account_page_sets_the_members_language_and_wagtail_copies_it(client):
    from django.contrib.auth.models import Group

    from wagtail.users.models import UserProfile

    moderator = make_member("mo@example.org", "Mo Derator", first_name="Mo", last_name="D")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    url = reverse("wagtailadmin_account")
    choices = page(client.get(url)).select("select[name=locale-preferred_language] option")
    assert [o["value"] for o in choices] == [code for code, _ in settings.LANGUAGES]

    response = client.post(
        url,
        {
            "name_email-first_name": "Mo",
            "name_email-last_name": "D",
            "locale-preferred_language": "fr",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"  # the site follows
    assert MemberProfile.objects.get(user=moderator).language == "fr"
    assert UserProfile.get_for_user(moderator).preferred_language == "fr"
    # English is Wagtail's "en": its own notices to an English-speaking member are English.
    client.post(reverse("set_language"), {"language": "en-gb", "next": "/"})
    assert MemberProfile.objects.get(user=moderator).language == "en-gb"
    assert UserProfile.get_for_user(moderator).preferred_language == "en"


def test_the_migration_makes_wagtails_language_a_copy_of_the_members():
    from importlib import import_module

    from django.apps import apps

    from wagtail.users.models import UserProfile

    migration = import_module("commonground.members.migrations.0003_one_language_setting")
    chose_in_admin = make_member("a@example.org", "A")  # only on Wagtail's account page
    UserProfile.objects.create(user=chose_in_admin, preferred_language="de")
    drifted = make_member("b@example.org", "B")  # the member's language differs from Wagtail's
    MemberProfile.objects.filter(user=drifted).update(language="es")
    UserProfile.objects.create(user=drifted, preferred_language="nl")

    migration.one_setting(apps, None)

    assert MemberProfile.objects.get(user=chose_in_admin).language == "de"
    assert UserProfile.objects.get(user=chose_in_admin).preferred_language == "de"
    assert MemberProfile.objects.get(user=drifted).language == "es"
    assert UserProfile.objects.get(user=drifted).preferred_language == "es"


def test_the_admin_account_page_is_wagtails_admin_in_the_members_language(client):
    from django.contrib.auth.models import Group

    url = reverse("wagtailadmin_account")
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    member = make_member("no-admin@example.org", "No Admin")
    client.force_login(member)
    assert client.get(url).status_code == 302  # no admin access: not the account page

    moderator = make_member("mo@example.org", "Mo Derator", first_name="Mo", last_name="D")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    client.post(
        url,
        {
            "name_email-first_name": "Mo",
            "name_email-last_name": "D",
            "locale-preferred_language": "de",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    german = page(client.get(url))
    assert german.html["lang"] == "de"
    assert german.select_one("label[for=id_locale-preferred_language]").get_text(strip=True) == (
        "Sprache*"
    )
