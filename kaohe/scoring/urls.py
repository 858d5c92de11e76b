from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("<int:scheme_pk>/", views.results, name="results"),
    path("<int:scheme_pk>/recompute/", views.recompute, name="recompute"),
    path("subject/<int:subject_pk>/", views.trace, name="trace"),
    path("subject/<int:subject_pk>/scores/", views.score_entry, name="scores"),
]
