from django.urls import path

from .views import bank, marks, sittings, take

app_name = "exams"
urlpatterns = [
    path("", bank.index, name="index"),
    path("banks/", bank.bank_list, name="banks"),
    path("banks/<int:pk>/", bank.bank_detail, name="bank"),
    path("banks/<int:pk>/questions/new/", bank.question_new, name="question_new"),
    path("banks/<int:pk>/import/", bank.bank_import, name="bank_import"),
    path("banks/<int:pk>/export.xlsx", bank.bank_export, name="bank_export"),
    path("questions/<int:pk>/", bank.question_edit, name="question_edit"),
    path("schemes/<int:scheme_id>/", bank.scheme_exams, name="scheme"),
    path("schemes/<int:scheme_id>/report.xlsx", marks.scheme_report, name="scheme_report"),
    path("indicators/<int:pk>/exam/", bank.exam_edit, name="exam_edit"),
    path(
        "subjects/<int:subject_pk>/indicators/<int:indicator_pk>/",
        sittings.leaf_sitting,
        name="leaf",
    ),
    path("draws/<int:pk>/sitting/", sittings.sitting_new, name="sitting_new"),
    path("sittings/<int:pk>/", sittings.sitting_detail, name="sitting"),
    path("sittings/<int:pk>/draw/", sittings.sitting_draw, name="sitting_draw"),
    path("sittings/<int:pk>/open/", sittings.sitting_open, name="sitting_open"),
    path("sittings/<int:pk>/close/", sittings.sitting_close, name="sitting_close"),
    path("sittings/<int:pk>/score/", sittings.sitting_score, name="sitting_score"),
    path("sittings/<int:pk>/cancel/", sittings.sitting_cancel, name="sitting_cancel"),
    path("sittings/<int:pk>/board/", sittings.board, name="board"),
    path("sittings/<int:pk>/slips/", sittings.slips, name="slips"),
    path("sittings/<int:pk>/marking/", marks.marking, name="marking"),
    path("sittings/<int:pk>/oral/", marks.oral, name="oral"),
    path("sittings/<int:pk>/report.xlsx", marks.report, name="report"),
    path("sittings/<int:pk>/paper.docx", marks.paper_docx, name="paper_docx"),
    path("examinees/<int:pk>/code/", sittings.examinee_code, name="examinee_code"),
    path("examinees/<int:pk>/paper/", marks.paper_entry, name="paper_entry"),
    path("examinees/<int:pk>/absent/", sittings.examinee_absent, name="examinee_absent"),
    path("examinees/<int:pk>/", marks.examinee_detail, name="examinee"),
    path("answers/<int:pk>/mark/", marks.answer_mark, name="answer_mark"),
    # The examinee's pages: no account, the one-time code opens them.
    path("t/", take.take_start, name="take_start"),
    path("t/paper/", take.take, name="take"),
    path("t/save/", take.take_save, name="take_save"),
    path("t/event/", take.take_event, name="take_event"),
    path("t/submit/", take.take_submit, name="take_submit"),
    path("t/done/", take.take_done, name="take_done"),
]
