from django.urls import path

from commonground.members import views

app_name = "members"

urlpatterns = [
    path("<slug:handle>/", views.profile, name="profile"),
]
