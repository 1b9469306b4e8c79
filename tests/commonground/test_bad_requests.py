"""A request the site cannot read gets a 400 page, never a 500."""

import pytest
from bs4 import BeautifulSoup

from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/search/", "/"])
def test_a_form_declaring_a_charset_other_than_utf8_gets_a_400_page(path):
    """Django refuses such form bodies (BadRequest); its own 400 view read the body again
    for the CSRF check and the error escaped as a 500."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # a CSRF cookie, as any browser has
    token = client.cookies["csrftoken"].value

    response = client.generic(
        "POST",
        path,
        f"login=jane%40example.org&csrfmiddlewaretoken={token}",
        "application/x-www-form-urlencoded; charset=latin-1",
    )

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Request not understood"
    assert page.find("main", id="main")
