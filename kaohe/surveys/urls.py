from django.urls import path

from .views import forums, questionnaires, reports, surveys

app_name = "surveys"
urlpatterns = [
    path("schemes/<int:scheme_id>/", questionnaires.scheme_home, name="scheme"),
    path(
        "schemes/<int:scheme_id>/questionnaires/new/",
        questionnaires.questionnaire_new,
        name="questionnaire_new",
    ),
    path(
        "schemes/<int:scheme_id>/questionnaires/copy/",
        questionnaires.questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "schemes/<int:scheme_id>/questionnaires/import/",
        questionnaires.questionnaire_import,
        name="questionnaire_import",
    ),
    path("schemes/<int:scheme_id>/surveys/new/", surveys.survey_new, name="survey_new"),
    path("schemes/<int:scheme_id>/entry/", surveys.entry_list, name="entry_list"),
    path("schemes/<int:scheme_id>/forums/new/", forums.forum_new, name="forum_new"),
    path("questionnaires/<int:pk>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path(
        "questionnaires/<int:pk>/questions/",
        questionnaires.question_save,
        name="question_save",
    ),
    path(
        "questionnaires/<int:pk>/export.xlsx",
        questionnaires.questionnaire_export,
        name="questionnaire_export",
    ),
    path(
        "questionnaires/<int:pk>/import/",
        questionnaires.questionnaire_reimport,
        name="questionnaire_reimport",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        questionnaires.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path("questions/<int:pk>/delete/", questionnaires.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", questionnaires.question_move, name="question_move"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/edit/", surveys.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/qr.png", surveys.survey_qr, name="survey_qr"),
    path("surveys/<int:pk>/invitations/", surveys.invitations_new, name="invitations_new"),
    path("surveys/<int:pk>/slips.docx", surveys.invitation_slips, name="invitation_slips"),
    path("surveys/<int:pk>/score/", surveys.survey_score, name="survey_score"),
    path("surveys/<int:pk>/report/", reports.survey_report, name="survey_report"),
    path("targets/<int:pk>/qr.png", surveys.target_qr, name="target_qr"),
    path("targets/<int:pk>/poster/", surveys.target_poster, name="target_poster"),
    path("targets/<int:pk>/enter/", surveys.target_enter, name="target_enter"),
    path("targets/<int:pk>/manual-score/", surveys.target_manual_score, name="manual_score"),
    path("targets/<int:pk>/trace/", reports.target_trace, name="target_trace"),
    path(
        "subjects/<int:subject_id>/indicators/<int:indicator_id>/trace/",
        reports.leaf_trace,
        name="leaf_trace",
    ),
    path("answers/<int:pk>/hide/", reports.answer_hide, name="answer_hide"),
    path("forums/<int:pk>/", forums.forum_detail, name="forum"),
]
