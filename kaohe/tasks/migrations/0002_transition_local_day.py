from django.db import migrations, models
from django.utils import timezone


def fill_days(apps, schema_editor):
    TaskTransition = apps.get_model("tasks", "TaskTransition")
    for row in TaskTransition.objects.filter(on__isnull=True).only("pk", "at").iterator():
        TaskTransition.objects.filter(pk=row.pk).update(on=timezone.localdate(row.at))


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="tasktransition",
            name="on",
            field=models.DateField(null=True, verbose_name="日期（本地）"),
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tasktransition",
            name="on",
            field=models.DateField(
                db_index=True,
                help_text="按日统计用，免去数据库的时区换算。",
                verbose_name="日期（本地）",
            ),
        ),
        migrations.AlterField(
            model_name="tasktransition",
            name="at",
            field=models.DateTimeField(verbose_name="时间"),
        ),
    ]
