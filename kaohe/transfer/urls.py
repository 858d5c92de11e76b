from django.urls import path

from .views import exports as views_export
from .views import imports as views
from .views import responsible as views_responsible

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/<str:kind>/", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/apply/", views.job_apply_view, name="job_apply"),
    path("jobs/<int:pk>/aliases/", views.job_aliases, name="job_aliases"),
    path("aliases/", views.alias_list, name="aliases"),
    path("groups/", views_responsible.groups, name="groups"),
    path("schemes/<int:pk>/responsible/", views_responsible.responsible, name="responsible"),
    path("aliases/<int:pk>/delete/", views.alias_delete, name="alias_delete"),
    path("templates/indicators.xlsx", views_export.template_indicators, name="template_indicators"),
    path("templates/units.xlsx", views_export.template_units, name="template_units"),
    path(
        "schemes/<int:pk>/scores-template.xlsx",
        views_export.template_scores,
        name="template_scores",
    ),
    path("schemes/<int:pk>/results.xlsx", views_export.results_xlsx, name="results_xlsx"),
    path("schemes/<int:pk>/scores.xlsx", views_export.scores_xlsx, name="scores_xlsx"),
    path("schemes/<int:pk>/indicators.xlsx", views_export.indicators_xlsx, name="indicators_xlsx"),
    path("schemes/<int:pk>/indicators.docx", views_export.indicators_docx, name="indicators_docx"),
    path("schemes/<int:pk>/tasks.xlsx", views_export.tasks_xlsx, name="tasks_xlsx"),
    path("schemes/<int:pk>/tasks.docx", views_export.tasks_docx, name="tasks_docx"),
    path("units.xlsx", views_export.units_xlsx, name="units_xlsx"),
]
