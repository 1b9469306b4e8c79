from django.urls import path

from search import feeds, views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search/", views.api_search, name="api"),
    path("api/search/suggest/", views.api_suggest, name="suggest"),
    path("api/search/export.csv", views.export_csv, name="export_csv"),
    path("api/search/export.jsonl", views.export_jsonl, name="export_jsonl"),
    path("health/", views.health, name="health"),
    # Atom feeds: the library's, a search's (the same query string as its page), and those
    # of the theme, country and organisation pages.
    path("feeds/cases/", feeds.LibraryFeed(), name="library_feed"),
    path("feeds/search/", feeds.SearchFeed(), name="search_feed"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="theme_feed"),
    path("feeds/countries/<str:code>/", feeds.CountryFeed(), name="country_feed"),
    path("feeds/organisations/<slug:slug>/", feeds.OrganisationFeed(), name="organisation_feed"),
]
