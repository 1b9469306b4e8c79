from django.urls import path

from commonground.reading_lists import views

app_name = "reading_lists"
urlpatterns = [
    path("accounts/lists/", views.index, name="index"),
    path("accounts/lists/<int:list_id>/", views.detail, name="detail"),
    path("accounts/lists/<int:list_id>/delete/", views.delete, name="delete"),
    path("accounts/lists/<int:list_id>/share/", views.share, name="share"),
    path("accounts/lists/<int:list_id>/remove/<int:case_id>/", views.remove, name="remove"),
    path("accounts/lists/<int:list_id>/export.<str:fmt>", views.export, name="export"),
    path("accounts/lists/save/<int:case_id>/", views.save_case, name="save"),
    path("accounts/lists/unsave/<int:case_id>/", views.unsave_case, name="unsave"),
    path("lists/shared/<str:token>/", views.shared, name="shared"),
]
