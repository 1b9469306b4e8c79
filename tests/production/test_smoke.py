"""Smoke tests of the production stack over HTTP: gunicorn's two workers with production
settings on PostgreSQL, the Redis cache and the task worker, as tests/production/stack.py
starts them with the demo library loaded. Each test reads what a visitor, a proxy or an
operator would see; nothing here touches the database directly."""

import contextlib
import re
import secrets
import socket
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import redis
from bs4 import BeautifulSoup

from tests.production.mailbox import messages_to

THEME = "crisis-communication"
PASSWORD = "a long smoke-test passphrase 7"
HSTS = "max-age=31536000; includeSubDomains; preload"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def page(http, stack, path, status=200, **kwargs):
    response = http.get(stack["url"] + path, **kwargs)
    assert response.status_code == status, (path, response.status_code)
    return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def result_count(response) -> int:
    return int(soup(response).select_one(".results__count").get_text().split()[0])


def form_fields(response, selector="main form[method=post]") -> dict:
    form = soup(response).select(selector)[-1]
    return {i["name"]: i.get("value", "") for i in form.select("input[name]")}


def served_by(stack, method: str = "", path: str = "") -> list[str]:
    """The gunicorn worker pids that answered `method path` (any request by default), in
    order, from the access log."""
    pids = []
    for line in (Path(stack["logs"]) / "access.log").read_text().splitlines():
        pid, _host, request = line.split(" ", 2)
        if request.startswith(f'"{method} {path} ' if method else '"'):
            pids.append(pid)
    return pids


@contextlib.contextmanager
def one_worker_held(stack):
    """Keep one gunicorn worker busy: a sync worker that accepts a connection waits for the
    whole request line, so an unfinished one holds it until the socket closes and every
    other request goes to the other worker."""
    address = urlsplit(stack["url"])
    with socket.create_connection((address.hostname, address.port)) as held:
        held.sendall(b"GET /health/ HTTP/1.1\r\nHost: ")
        time.sleep(0.3)  # until a worker has accepted it
        yield


def each_worker_in_turn(stack):
    """Yield twice: first with one worker held (the other answers), then with that other
    held (the first answers), so a test reaches both workers by design, not by chance."""
    with contextlib.ExitStack() as held:
        held.enter_context(one_worker_held(stack))
        yield
        second = contextlib.ExitStack()
        second.enter_context(one_worker_held(stack))  # taken by the only idle worker
        held.close()  # frees the first worker
        with second:
            yield


def test_health_reports_the_database(http, stack):
    body = page(http, stack, "/health/").json()
    assert body["database"] == "ok" and body["status"] == "ok"


def test_home_lists_themes_and_newest_cases(http, stack):
    home = soup(page(http, stack, "/"))
    assert home.h1 is not None
    assert home.select(f"a[href='/themes/{THEME}/']")
    assert home.select("a[href^='/cases/'][href$='/']")


def test_security_headers_on_every_public_page(http, stack):
    for path in ("/", "/cases/", "/search/?q=police", "/api/search/?q=police"):
        headers = page(http, stack, path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "'unsafe-inline'" not in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert "camera=()" in headers["Permissions-Policy"], path
        # Plain HTTP gets no HSTS (a browser would ignore it); see the next test.
        assert "Strict-Transport-Security" not in headers, path


def test_hsts_when_the_proxy_says_https(http, stack):
    """Behind nginx the request is HTTPS when X-Forwarded-Proto says so
    (SECURE_PROXY_SSL_HEADER); production then sends a year of HSTS with preload."""
    headers = page(http, stack, "/", headers={"X-Forwarded-Proto": "https"}).headers
    assert headers["Strict-Transport-Security"] == HSTS


def test_library_filters_narrow_the_results(http, stack):
    everything = result_count(page(http, stack, "/cases/"))
    by_theme = page(http, stack, f"/cases/?theme={THEME}")
    in_theme = result_count(by_theme)
    assert 0 < in_theme < everything
    country = soup(by_theme).select_one("input[name=country]")["value"]
    narrowed = page(http, stack, f"/cases/?theme={THEME}&country={country}")
    assert 0 < result_count(narrowed) <= in_theme
    assert soup(narrowed).select("[aria-label='Active filters'] a, .active-filters a")


def test_a_case_page_with_its_canonical_address(http, stack):
    library = soup(page(http, stack, "/cases/"))
    card = library.select_one(".case-card__title a")
    case = soup(page(http, stack, card["href"]))
    assert case.h1.get_text(strip=True) == card.get_text(strip=True)
    assert case.select_one("link[rel=canonical]")["href"] == stack["url"] + card["href"]
    assert case.select(f"a[href='/themes/{THEME}/'], a[href^='/themes/']")


def test_theme_country_and_organisation_pages(http, stack):
    theme = soup(page(http, stack, f"/themes/{THEME}/"))
    assert theme.h1.get_text(strip=True) == "Crisis communication"
    countries = soup(page(http, stack, "/countries/"))
    country_link = countries.select_one("main a[href^='/countries/'][href$='/']")["href"]
    assert soup(page(http, stack, country_link)).select(".case-card__title a")
    organisations = soup(page(http, stack, "/organisations/"))
    organisation = organisations.select_one("main a[href^='/organisations/'][href$='/']")
    assert soup(page(http, stack, organisation["href"])).select(".case-card__title a")


def test_search_page_and_api_find_cases(http, stack):
    assert result_count(page(http, stack, "/search/?q=police")) > 0
    answer = page(http, stack, "/api/search/?q=recruitment").json()
    assert answer["count"] > 0
    first = answer["results"][0]
    assert "recruit" in (first["title"] + first["summary"]).lower()
    page(http, stack, first["url"])  # the case it points to is served


def test_feeds_are_atom_cached_for_five_minutes(http, stack):
    for path in ("/feeds/cases/", f"/feeds/themes/{THEME}/"):
        response = page(http, stack, path)
        assert response.headers["Content-Type"].startswith("application/atom+xml"), path
        assert response.headers["Cache-Control"] == "max-age=300", path
        entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
        assert entries, path
        link = entries[0].find(f"{ATOM}link").get("href")
        assert link.startswith(stack["url"] + "/cases/"), path


def test_robots_and_sitemap_name_the_public_address(http, stack):
    robots = page(http, stack, "/robots.txt")
    assert robots.headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {stack['url']}/sitemap.xml" in robots.text.splitlines()
    assert "Disallow: /admin/" in robots.text.splitlines()
    sitemap = ET.fromstring(page(http, stack, "/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert sum(loc.startswith(stack["url"] + "/cases/") for loc in locations) >= 30


def test_static_files_from_whitenoise_with_long_cache_headers(http, stack):
    home = soup(page(http, stack, "/"))
    stylesheet = home.select_one("link[rel=stylesheet]")["href"]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    response = page(http, stack, stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "body" in response.text
    # The unhashed name is served too, but only briefly cached: it changes with each deploy.
    plain = page(http, stack, "/static/css/site.css")
    assert plain.headers["Cache-Control"] == "max-age=60, public"
    page(http, stack, "/static/css/no-such-file.css", status=404)


def test_unknown_page_gets_the_sites_404(http, stack):
    response = page(http, stack, "/no-such-page/", status=404)
    assert soup(response).h1.get_text(strip=True) == "Page not found"
    assert "Content-Security-Policy" in response.headers
    assert "Traceback" not in response.text


def test_admin_sends_to_the_sign_in_page_with_secure_cookies(http, stack):
    admin = page(http, stack, "/admin/", status=302)
    assert urlsplit(admin.headers["Location"]).path == "/accounts/login/"
    login = page(http, stack, urlsplit(urljoin(stack["url"], admin.headers["Location"])).path)
    assert soup(login).select("input[name=login]") and soup(login).select("input[name=password]")
    csrf_cookie = login.headers["Set-Cookie"]
    assert "csrftoken=" in csrf_cookie and "Secure" in csrf_cookie


def test_sign_up_e_mail_is_delivered_by_the_task_worker(http, stack):
    """The web process only queues the message (commonground/mail.py); it reaches the mail
    folder only if the separate db_worker process runs the delivery task."""
    address = f"smoke-{secrets.token_hex(4)}@example.org"
    form = form_fields(page(http, stack, "/accounts/signup/"))
    form.update(email=address, display_name="Smoke Test", password1=PASSWORD, password2=PASSWORD)
    signed_up = http.post(stack["url"] + "/accounts/signup/", data=form)
    assert signed_up.status_code == 302, soup(signed_up).select(".errorlist")
    (message,) = messages_to(stack["mail"], address, timeout=60)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message["body"]).group(0)
    assert link.startswith(stack["url"] + "/accounts/confirm-email/")

    confirm = page(http, stack, urlsplit(link).path)
    confirmed = http.post(link, data=form_fields(confirm))
    assert confirmed.status_code == 302
    # Signed in on confirmation: the member's own page answers instead of the sign-in page.
    page(http, stack, "/contribute/mine/", status=200)


def test_the_cache_lives_in_redis(http, stack):
    cache = redis.Redis.from_url(stack["env"]["CACHE_URL"])
    page(http, stack, f"/cases/?theme={THEME}")
    keys = [key.decode() for key in cache.scan_iter(count=1000)]
    assert any(key.startswith(":1:cg:") for key in keys), keys[:20]


def test_sign_in_rate_limit_holds_across_both_workers(http, stack):
    """allauth counts failed sign-ins in the cache: with Redis both gunicorn workers see the
    same count, so the attempts one worker counted make the other refuse the sixth. A visitor
    behind the (trusted) proxy is its X-Forwarded-For address, so this test's own address
    never locks out the browser tests that sign in from 127.0.0.1."""
    cache = redis.Redis.from_url(stack["env"]["CACHE_URL"])
    visitor = {"X-Forwarded-For": f"203.0.113.{secrets.randbelow(250) + 1}"}
    address = f"nobody-{secrets.token_hex(4)}@example.org"
    refused, workers = [], []
    for _turn in each_worker_in_turn(stack):
        before = len(served_by(stack, "POST", "/accounts/login/"))
        for _attempt in range(3):
            form = form_fields(page(http, stack, "/accounts/login/", headers=visitor))
            form.update(login=address, password="wrong password")
            response = http.post(stack["url"] + "/accounts/login/", data=form, headers=visitor)
            assert response.status_code == 200  # the form again, with its error
            errors = soup(response).select_one("main form").get_text(" ", strip=True)
            refused.append("Too many failed sign-in attempts" in errors)
        time.sleep(0.2)  # the access log is written after the response
        workers.append(set(served_by(stack, "POST", "/accounts/login/")[before:]))
    assert refused == [False] * 5 + [True], refused
    assert len(workers[0]) == len(workers[1]) == 1 and workers[0] != workers[1], workers
    keys = [key.decode() for key in cache.scan_iter(count=1000)]
    assert any("login_failed" in key for key in keys), keys[:20]


def test_both_workers_serve_requests(http, stack):
    """Two gunicorn workers, as configured, and each answers when the other is busy."""
    for _turn in each_worker_in_turn(stack):
        page(http, stack, "/health/")
    time.sleep(0.2)  # the access log is written after the response
    assert len(set(served_by(stack, "GET", "/health/")[-2:])) == 2
    assert len(set(served_by(stack))) == 2
