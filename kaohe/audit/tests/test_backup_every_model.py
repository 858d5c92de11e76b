"""Backup → restore with a row in every model: nothing is lost, whatever the model order.

The rows come from `populate.populate_every_model`, which fills every backed-up model
generically, so a model added later is covered without touching this test. The database
round trips (SQLite ⇄ PostgreSQL) are in test_backup_cross_db.py.
"""

from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from kaohe.audit.backup import EXCLUDED, backup_models, dependency_order
from kaohe.audit.tests.populate import populate_every_model

# The chain head moves when restore records its own event; audit events are compared as a
# prefix (the restore appends one).
MOVING = {"audit.auditchainhead", "audit.auditevent"}


def every_row() -> dict[str, list]:
    """Every backed-up model's rows as plain data (natural keys for links), by label."""
    result = {}
    for model in backup_models():
        rows = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        result[model._meta.label_lower] = [(r["pk"], r["fields"]) for r in rows]
    return result


def test_dependency_order_puts_referenced_models_first():
    from django.apps import apps

    order = backup_models()
    position = {m: i for i, m in enumerate(order)}
    user = apps.get_model("accounts.user")
    for label in ("otp_totp.totpdevice", "admin.logentry", "audit.auditevent"):
        assert position[apps.get_model(label)] > position[user], label
    # A model listed before the model it points at is moved after it.
    device, unit = apps.get_model("otp_totp.totpdevice"), apps.get_model("orgs.unit")
    assert dependency_order([device, user, unit]) == [unit, user, device]
    # Every installed concrete model is either backed up or deliberately excluded.
    labels = {m._meta.label_lower for m in order} | EXCLUDED
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.label_lower in labels


@pytest.mark.django_db(transaction=True)
def test_round_trip_with_every_model_populated(tmp_path):
    populate_every_model()
    before = every_row()
    empty = [label for label, rows in before.items() if not rows]
    assert not empty, f"models without rows: {empty}"
    archive = tmp_path / "all.zip"
    call_command("backup", str(archive), "--no-media", stdout=StringIO())

    call_command("flush", interactive=False, verbosity=0)
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "审计链完整" in out.getvalue()
    after = every_row()
    for label, rows in before.items():
        if label in MOVING:
            assert after[label][: len(rows)] == rows if label != "audit.auditchainhead" else True
            continue
        assert after[label] == rows, label


@pytest.mark.django_db(transaction=True)
def test_a_row_the_database_refuses_fails_cleanly_and_writes_nothing(tmp_path):
    """Data an older version let into SQLite (NUL, over-long text) that this database refuses:
    restore stops with a message, in one transaction, instead of a traceback halfway."""
    import json
    import zipfile

    from kaohe.audit.anchors import sign
    from kaohe.orgs.models import Unit

    archive = tmp_path / "ok.zip"
    call_command("backup", str(archive), "--no-media", stdout=StringIO())
    with zipfile.ZipFile(archive) as z:
        manifest, data = json.loads(z.read("manifest.json")), z.read("data.jsonl")
    row = {"model": "orgs.unitcategory", "pk": 99, "fields": {"code": "x" * 5000, "name": "类"}}
    data += (json.dumps(row) + "\n").encode()
    manifest = {k: v for k, v in manifest.items() if k not in ("signature", "key_id")}
    manifest["sha256"] = __import__("hashlib").sha256(data).hexdigest()
    manifest["counts"]["orgs.unitcategory"] = 1
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("manifest.json", json.dumps(sign(manifest)))
        z.writestr("data.jsonl", data)
    call_command("flush", interactive=False, verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite stores over-long text; the refusal is PostgreSQL's (CI runs it)")
    with pytest.raises(Exception, match="恢复失败，未写入任何数据"):
        call_command("restore", str(bad), stdout=StringIO())
    assert not Unit.objects.exists()
