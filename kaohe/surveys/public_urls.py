"""Public respondent URLs under /s/ (no account). Keep the prefix: logging rules key on it."""

from django.urls import path

from .views import public

app_name = "survey_public"
urlpatterns = [
    path("u/<str:token>/", public.pick, name="pick"),
    path("u/<str:token>/thanks/", public.pick_thanks, name="pick_thanks"),
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thanks/", public.thanks, name="thanks"),
]
