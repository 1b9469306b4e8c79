"""Following, under /accounts/ beside the member's other pages."""

from django.urls import path

from commonground.following import views

app_name = "following"
urlpatterns = [
    path("following/", views.mine, name="mine"),
    path("following/follow/", views.follow, name="follow"),
    path("following/<int:pk>/remove/", views.unfollow, name="unfollow"),
    path("following/digests-off/<str:token>/", views.digests_off, name="digests_off"),
    path("following/stop/<str:token>/", views.stop, name="stop"),
]
