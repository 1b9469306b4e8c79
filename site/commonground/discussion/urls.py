from django.urls import path

from commonground.discussion import views

app_name = "discussion"
urlpatterns = [
    path("cases/<int:case_id>/ask/", views.ask, name="ask"),
    path("cases/<int:case_id>/contact/", views.contact, name="contact"),
    path("posts/<int:pk>/answer/", views.answer, name="answer"),
    path("posts/<int:pk>/edit/", views.edit, name="edit"),
    path("posts/<int:pk>/delete/", views.delete, name="delete"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("messages/reply/<str:token>/", views.reply, name="reply"),
    path("notices/stop/<str:token>/", views.stop, name="stop"),
]
