"""A URLconf with two deliberately broken views, to prove the matrix catches them."""

from django.http import HttpResponse
from django.urls import include, path


def leaky(request, pk):
    return HttpResponse(f"anyone may see scheme {pk}")


def mystery(request, widget_pk):
    return HttpResponse("?")


urlpatterns = [
    path("", include("kaohe.urls")),
    path("leaky/schemes/<int:pk>/", leaky, name="leaky"),
    path("mystery/<int:widget_pk>/", mystery, name="mystery"),
]
