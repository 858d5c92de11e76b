"""A URLconf with two deliberately broken views, to prove the matrix catches them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

from kaohe.orgs.models import Unit


def leaky(request, pk):
    return HttpResponse(f"anyone may see scheme {pk}")


@login_required
def leaky_list(request):
    return HttpResponse("<p>" + "、".join(Unit.objects.values_list("name", flat=True)) + "</p>")


def mystery(request, widget_pk):
    return HttpResponse("?")


urlpatterns = [
    path("", include("kaohe.urls")),
    path("leaky/schemes/<int:pk>/", leaky, name="leaky"),
    path("leaky/units/", leaky_list, name="leaky_list"),
    path("mystery/<int:widget_pk>/", mystery, name="mystery"),
]
