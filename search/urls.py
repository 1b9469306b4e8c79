from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search/", views.api_search, name="api"),
    path("api/search/suggest/", views.api_suggest, name="suggest"),
    path("api/search/export.csv", views.export_csv, name="export_csv"),
    path("api/search/export.jsonl", views.export_jsonl, name="export_jsonl"),
    path("health/", views.health, name="health"),
]
