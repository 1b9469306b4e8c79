from django.urls import path

from cases.contribute import views
from cases.replications import views as replications

app_name = "contribute"

urlpatterns = [
    path("", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("language/", views.switch_language, name="language"),
    path("<int:page_id>/language/", views.switch_language, name="language"),
    path("<int:page_id>/edit/", views.edit, name="edit"),
    path("<int:page_id>/preview/", views.preview, name="preview"),
    path("<int:page_id>/submit/", views.send_for_review, name="submit"),
    path("<int:page_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:page_id>/delete/", views.delete, name="delete"),
    path("<int:page_id>/correct/", views.correct, name="correct"),
    path("<int:page_id>/discard/", views.discard, name="discard"),
    # "We tried this too": a member's replication of a published case.
    path("tried/<int:case_id>/", replications.tried, name="tried"),
    path("tried/withdraw/<int:pk>/", replications.withdraw, name="withdraw_replication"),
]
