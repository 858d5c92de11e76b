from django.urls import path

from .views import board as views_board
from .views import tasks as views

app_name = "tasks"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/nominees/", views.nominees, name="nominees"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/extension/", views.extension, name="extension"),
    path("files/<int:pk>/remove/", views.remove_file, name="remove_file"),
    path("versions/<int:pk>/download/", views.download, name="download"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("schemes/<int:scheme_pk>/", views_board.board, name="board"),
    path("schemes/<int:scheme_pk>/generate/", views_board.generate, name="generate"),
]
