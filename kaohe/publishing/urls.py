from django.urls import path

from .views import notice as views_notice
from .views import publicity as views

app_name = "publishing"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_overview, name="overview"),
    path("schemes/<int:pk>/freeze/", views.scheme_freeze, name="freeze"),
    path("schemes/<int:pk>/publicity/", views.publicity_open, name="publicity"),
    path("schemes/<int:pk>/finalise/", views.scheme_finalise, name="finalise"),
    path("schemes/<int:pk>/reopen/", views.scheme_reopen, name="reopen"),
    path("schemes/<int:pk>/my/", views.my_results, name="my"),
    path("schemes/<int:pk>/notice/", views_notice.notice_edit, name="notice"),
    path("schemes/<int:pk>/notice.docx", views_notice.notice_docx, name="notice_docx"),
    path("schemes/<int:pk>/notice.pdf", views_notice.notice_pdf, name="notice_pdf"),
    path(
        "schemes/<int:pk>/notice/file/<str:kind>/",
        views_notice.notice_file,
        name="notice_file",
    ),
    path("schemes/<int:pk>/notice/template/", views_notice.notice_template, name="notice_template"),
    path("schemes/<int:pk>/notice/publish/", views_notice.notice_publish, name="notice_publish"),
    path("schemes/<int:pk>/notice/published/", views_notice.notice_published, name="published"),
    path("schemes/<int:pk>/dashboard/", views_notice.dashboard, name="dashboard"),
    path("subjects/<int:pk>/", views.subject_page, name="subject"),
    path("subjects/<int:pk>/results.xlsx", views.subject_sheet, name="subject_sheet"),
    path("subjects/<int:pk>/objections/", views.objection_create, name="objection_create"),
    path("subjects/<int:pk>/dashboard/", views_notice.unit_dashboard, name="unit_dashboard"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("objection-files/<int:pk>/", views.objection_file, name="objection_file"),
]
