from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_items, name="scheme"),
    path("schemes/<int:pk>/create/", views.item_create, name="create"),
    path("schemes/<int:pk>/generate/", views.items_generate, name="generate"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/submit/", views.item_submit, name="submit"),
    path("items/<int:pk>/verify/", views.item_verify, name="verify"),
    path("from-objection/<int:pk>/", views.item_from_objection, name="from_objection"),
    path("from-opinion/<int:pk>/", views.item_from_opinion, name="from_opinion"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
