from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("runs/<int:pk>/", views.run_status, name="run"),
]
