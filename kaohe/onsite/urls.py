from django.urls import path

from .views import checks, draws, setup, teams

app_name = "onsite"
urlpatterns = [
    path("", teams.index, name="index"),
    path("schemes/<int:scheme_id>/", teams.scheme_home, name="scheme"),
    path("schemes/<int:scheme_id>/teams/new/", teams.team_create, name="team_create"),
    path("schemes/<int:scheme_id>/schedule.docx", teams.schedule_download, name="schedule_docx"),
    path("schemes/<int:scheme_id>/calendar/", teams.calendar, name="calendar"),
    path("schemes/<int:scheme_id>/draws/", draws.draw_list, name="draw_list"),
    path("schemes/<int:scheme_id>/setup/", setup.setup, name="setup"),
    path(
        "schemes/<int:scheme_id>/setup/checklists/",
        setup.checklists_generate,
        name="checklists_generate",
    ),
    path("indicators/<int:pk>/checklist/", setup.checklist_edit, name="checklist_edit"),
    path("indicators/<int:pk>/case-sheet/", setup.case_sheet_edit, name="case_sheet_edit"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("teams/<int:pk>/update/", teams.team_update, name="team_update"),
    path("teams/<int:pk>/assign/", teams.team_assign, name="team_assign"),
    path("visits/<int:pk>/schedule/", teams.visit_schedule, name="visit_schedule"),
    path("subjects/<int:pk>/", checks.subject_detail, name="subject"),
    path("subjects/<int:subject_id>/draws/new/", draws.draw_new, name="draw_new"),
    path(
        "subjects/<int:pk>/checklists/<int:indicator_id>/",
        checks.checklist_fill,
        name="checklist_fill",
    ),
    path("subjects/<int:pk>/cases/<int:indicator_id>/", checks.case_reviews, name="case_reviews"),
    path(
        "subjects/<int:pk>/filings/<int:indicator_id>/",
        checks.filing_checks,
        name="filing_checks",
    ),
    path("subjects/<int:pk>/deductions/", checks.deductions, name="deductions"),
    path("deductions/<int:pk>/withdraw/", checks.deduction_withdraw, name="deduction_withdraw"),
    path("evidence/<int:pk>/", checks.evidence_download, name="evidence"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw"),
    path("draws/<int:pk>/seed/", draws.draw_seed, name="draw_seed"),
    path("draws/<int:pk>/execute/", draws.draw_execute, name="draw_execute"),
    path("draws/<int:pk>/verify/", draws.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/cancel/", draws.draw_cancel, name="draw_cancel"),
    path("draws/<int:pk>/certificate.docx", draws.draw_certificate, name="draw_certificate"),
]
