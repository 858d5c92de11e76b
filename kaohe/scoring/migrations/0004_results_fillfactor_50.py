"""Half of each page of the stored results left free (PostgreSQL; was 70 % full since 0003).

A recompute where every result changes writes a new version of every row in one statement.
The old versions cannot be pruned until that statement ends, so every row of a page needs room
for its new version on the same page to stay a HOT update (no new entry in any of the table's
indexes — four on the component results): at 70 % about half the rows fit, at 50 % all do.
Measured at 30,000 subjects: the UPDATE of 90,000 component rows 300 ms → 245 ms, and 25,000
fewer WAL records. The tables are small (30,000 subjects: about 40 MB at 50 %). Existing pages
keep their old filling until rewritten (docs/deployment.md: VACUUM FULL once, in a maintenance
window). Other databases: nothing to do."""

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
    dependencies = [("scoring", "0003_results_fillfactor")]

    operations = [migrations.RunPython(fillfactor(50), fillfactor(70), elidable=True)]
