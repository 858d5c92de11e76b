"""Backup → empty installation → restore gives the same results, scores and audit chain."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify


def snapshot():
    from kaohe.accounts.models import RoleAssignment, User
    from kaohe.schemes.models import Indicator, ScoreEntry
    from kaohe.scoring.models import ComponentResult, SubjectResult

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "results": rows(SubjectResult, "subject_id", "total", "exact_total", "rank", "grade"),
        "components": rows(ComponentResult, "result_id", "component_id", "raw", "score"),
        "scores": rows(ScoreEntry, "subject_id", "indicator_id", "value", "version"),
        "users": rows(User, "username", "password", "unit_id"),
        "roles": rows(RoleAssignment, "user_id", "role", "unit_id", "include_subtree"),
        "audit": rows(AuditEvent, "occurred_at", "hash", "prev_hash"),
        # Link rows: the same links (their own ids are not significant).
        "applies_to": sorted(
            Indicator.applies_to.through.objects.values_list("indicator_id", "unitcategory_id")
        ),
        "responsible": sorted(
            Indicator.responsible_units.through.objects.values_list("indicator_id", "unit_id")
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_restore_roundtrip(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("tasks/2020/清丰县/材料.pdf", ContentFile(b"%PDF-1.4 test"))
    before = snapshot()
    assert before["results"] and before["audit"] and before["applies_to"] and before["responsible"]
    archive = tmp_path / "kaohe.zip"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "已备份" in out.getvalue()
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert "media/tasks/2020/清丰县/材料.pdf" in z.namelist()
    assert manifest["counts"]["audit.auditevent"] == len(before["audit"])

    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(archive), stdout=StringIO())

    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete("tasks/2020/清丰县/材料.pdf")
    assert not AuditEvent.objects.exists()
    call_command("restore", str(archive), stdout=out)
    assert "审计链完整" in out.getvalue()
    after = snapshot()
    for key, rows in before.items():
        if key == "audit":
            continue
        assert after[key] == rows, key
    # The chain is the same plus the restore's own event, and still verifies.
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert audit_verify().ok
    assert default_storage.open("tasks/2020/清丰县/材料.pdf").read() == b"%PDF-1.4 test"
    # Restored users keep their passwords, and recomputing gives the same results.
    from kaohe.accounts.models import User
    from kaohe.scoring.services import results_recompute

    assert User.objects.get(username="office").check_password("Kaohe@2020")
    results_recompute(scheme=type(demo).objects.get(code="puyang-2020"), reason="check")
    again = snapshot()["results"]
    assert [r[1:] for r in again] == [r[1:] for r in before["results"]]


@pytest.mark.django_db
def test_restore_refuses_tampered_or_unsafe_archives(tmp_path):
    good = tmp_path / "good.zip"
    call_command("backup", str(good), "--no-media", stdout=StringIO())
    with zipfile.ZipFile(good) as z:
        manifest, data = z.read("manifest.json"), z.read("data.jsonl")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as z:
        z.writestr("manifest.json", manifest)
        z.writestr("data.jsonl", data + b'{"model": "audit.auditevent"}\n')
    with pytest.raises(CommandError, match="校验和"):
        call_command("restore", str(tampered), stdout=StringIO())
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("manifest.json", manifest)
        z.writestr("data.jsonl", data)
        z.writestr("media/../../etc/passwd", b"x")
    with pytest.raises(CommandError, match="不安全"):
        call_command("restore", str(evil), stdout=StringIO())
    with pytest.raises(CommandError, match="无法读取"):
        call_command("restore", str(tmp_path / "missing.zip"), stdout=StringIO())
