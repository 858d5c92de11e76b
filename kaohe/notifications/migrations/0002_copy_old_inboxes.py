"""Move the two old inboxes (tasks' and publishing's) into the one inbox, keeping read state."""

from django.db import migrations


def copy(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = []
    for old in apps.get_model("tasks", "Notification").objects.all().iterator():
        url = f"/tasks/{old.task_id}/" if old.task_id else ""
        rows.append(
            Notification(
                user_id=old.user_id,
                title=old.title,
                body=old.body,
                url=url,
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
    for old in apps.get_model("publishing", "Notification").objects.all().iterator():
        rows.append(
            Notification(
                user_id=old.user_id,
                title=old.title,
                body=old.body,
                url=old.url,
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("tasks", "0002_transition_local_day"),
        ("publishing", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
