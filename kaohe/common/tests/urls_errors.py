"""The site's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from kaohe.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("故意的错误")


urlpatterns = [*site, path("boom/", boom)]
