from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("themes/", views.theme_index, name="theme_index"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("countries/", views.country_index, name="country_index"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("organisations/", views.organisation_index, name="organisation_index"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
