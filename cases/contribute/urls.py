from django.urls import path

from cases.contribute import views

app_name = "contribute"

urlpatterns = [
    path("", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:page_id>/edit/", views.edit, name="edit"),
]
