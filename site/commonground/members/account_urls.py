"""The member's own pages under /accounts/, next to allauth's."""

from django.urls import path

from commonground.members import views

urlpatterns = [
    path("profile/", views.edit_profile, name="account_profile"),
    path("data/", views.data_download, name="account_data"),
    path("delete/", views.delete_account, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
