from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:slug>/", views.help_page, name="help_page"),
]
