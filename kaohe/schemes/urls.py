from django.urls import path

from . import views

app_name = "schemes"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_create, name="create"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/edit/", views.scheme_edit, name="edit"),
    path("<int:pk>/copy/", views.scheme_copy, name="copy"),
    path("<int:pk>/components/<int:component_pk>/", views.component_edit, name="component_edit"),
    path("<int:pk>/grades/", views.grade_levels_edit, name="grades"),
    path("<int:pk>/grading/", views.grading_categories, name="grading"),
    path("<int:pk>/indicators/", views.indicator_list, name="indicators"),
    path("<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indicators/<int:indicator_pk>/", views.indicator_edit, name="indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path("<int:pk>/subjects/", views.subject_list, name="subjects"),
    path(
        "<int:pk>/subjects/<int:subject_pk>/withdraw/",
        views.subject_withdraw,
        name="subject_withdraw",
    ),
]
