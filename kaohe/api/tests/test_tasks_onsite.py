"""Tasks (pull, detail, upload through the tasks service), results, trace, draws."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.audit.models import AuditEvent
from kaohe.onsite import populations
from kaohe.onsite.services import draws
from kaohe.tasks.models import FileVersion
from kaohe.tasks.services import tasks_generate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_unit_pulls_its_tasks_and_uploads_a_file(bearer, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tasks_generate(scheme=demo)
    client = bearer("sifaju", name="司法局OA")
    listing = client.get(f"/api/v1/tasks?scheme_id={demo.pk}&limit=500").json()
    assert listing["count"] > 0
    assert {t["unit"] for t in listing["items"]} == {"市司法局"}
    task_id = listing["items"][0]["id"]
    upload = client.post(
        f"/api/v1/tasks/{task_id}/files",
        {"file": SimpleUploadedFile("制度.pdf", PDF, content_type="application/pdf")},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["kind"] == "pdf"
    assert FileVersion.objects.filter(task_file__task_id=task_id).count() == 1
    event = AuditEvent.objects.filter(action="task.file.upload").latest("pk")
    assert "司法局OA" in event.message
    detail = client.get(f"/api/v1/tasks/{task_id}").json()
    assert detail["status"] == "draft" and detail["files"][0]["name"] == "制度.pdf"
    bad = client.post(
        f"/api/v1/tasks/{task_id}/files",
        {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00" * 50)},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    # The office reads every task; 清丰县 none of 司法局's; the office may not upload for them.
    assert bearer("office").get(f"/api/v1/tasks/{task_id}").status_code == 200
    assert bearer("qingfeng").get(f"/api/v1/tasks/{task_id}").status_code == 404
    office_upload = bearer("office").post(
        f"/api/v1/tasks/{task_id}/files", {"file": SimpleUploadedFile("x.pdf", PDF)}
    )
    assert office_upload.status_code == 404


def test_results_and_trace_follow_publication(bearer, demo):
    office = bearer("office").get(f"/api/v1/schemes/{demo.pk}/results?limit=500").json()
    assert office["count"] == demo.subjects.count()
    county = [r for r in office["items"] if r["grading_category"] == "县(区)"]
    assert [r["rank"] for r in county][:3] == [1, 2, 3]
    subject = demo.subjects.get(unit__name="清丰县")
    trace = bearer("office").get(f"/api/v1/subjects/{subject.pk}/trace").json()
    row = next(r for r in office["items"] if r["subject_id"] == subject.pk)
    assert trace["total"] == row["total"] and trace["grade"] == row["grade"]
    assert sum(len(c["lines"]) for c in trace["components"]) > 0
    unit = bearer("qingfeng")
    assert unit.get(f"/api/v1/schemes/{demo.pk}/results").json()["count"] == 0
    assert unit.get(f"/api/v1/subjects/{subject.pk}/trace").status_code == 404
    demo.status = "publicity"
    demo.save(update_fields=["status"])
    mine = unit.get(f"/api/v1/schemes/{demo.pk}/results").json()
    assert [r["unit"] for r in mine["items"]] == ["清丰县"]
    assert unit.get(f"/api/v1/subjects/{subject.pk}/trace").status_code == 200


def test_draw_read_and_verify(bearer, demo):
    subject = demo.subjects.get(unit__name="清丰县")
    draw = draws.draw_prepare(
        subject=subject,
        title="抽取案卷",
        members=populations.from_text("甲\n乙\n丙\n丁"),
        rule={"count_min": 2},
    )
    draws.draw_announce_seed(draw=draw, seed="12345")
    draws.draw_execute(draw=draw)
    office = bearer("office")
    got = office.get(f"/api/v1/draws/{draw.pk}").json()
    assert got["status"] == "done" and len(got["selected"]) == 2
    verify = office.get(f"/api/v1/draws/{draw.pk}/verify").json()
    assert verify["ok"] is True and all(c["ok"] for c in verify["checks"])
    # The subject's own unit sees its finished draw; another unit does not.
    assert bearer("qingfeng").get(f"/api/v1/draws/{draw.pk}/verify").json()["ok"] is True
    assert bearer("sifaju").get(f"/api/v1/draws/{draw.pk}").status_code == 404
    listed = office.get(f"/api/v1/schemes/{demo.pk}/draws").json()
    assert [d["id"] for d in listed["items"]] == [draw.pk]
