"""Room on each page of the stored results (PostgreSQL): a recompute that rewrites every row
then updates in place (HOT updates, no index writes) instead of writing a new row version and
an entry in each of the table's indexes. Other databases: nothing to do."""

from django.db import migrations

TABLES = ("scoring_subjectresult", "scoring_componentresult")


def fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            name = schema_editor.quote_name(table)
            schema_editor.execute(f"ALTER TABLE {name} SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("scoring", "0002_alter_componentresult_result")]

    operations = [migrations.RunPython(fillfactor(70), fillfactor(100), elidable=True)]
