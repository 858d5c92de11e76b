"""Write changed stored rows back in place, without model instances.

On PostgreSQL the changed rows are streamed with COPY into a temporary table and applied by
one `UPDATE … FROM` (no statement with tens of thousands of parameters for the driver to
split and the server to parse: rewriting every row of a 3,000-subject scheme is then close to
the database's own cost of the UPDATE). Elsewhere (SQLite) one executemany of a plain UPDATE.
New rows that need no id back go in the same way (`Inserter`): COPY straight into the table
on PostgreSQL, executemany of a plain INSERT elsewhere.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection

BATCH = 5000  # rows held in memory before they go to the database


class _Batched:
    """Rows held until `BATCH` of them are ready, then sent by `flush()`."""

    rows: list[tuple]

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        raise NotImplementedError


class Rewriter(_Batched):
    """`add((*values, id))` for every changed row, then `finish()`."""

    def __init__(self, model, fields: list[str]):
        ops = connection.ops
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = [ops.quote_name(model._meta.get_field(f).column) for f in fields]
        self.temp = ops.quote_name(f"kaohe_rewrite_{model._meta.db_table}")
        self.postgres = connection.vendor == "postgresql"
        self.rows: list[tuple] = []
        self.started = False

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                self._copy(cursor)
            else:
                sets = ", ".join(f"{col} = %s" for col in self.columns)
                rows = [tuple(map(_adapt, row)) for row in self.rows]
                cursor.executemany(f"UPDATE {self.table} SET {sets} WHERE id = %s", rows)  # noqa: S608
        self.rows.clear()

    def _copy(self, cursor) -> None:
        names = ", ".join(["id", *self.columns])
        if not self.started:
            # Dropped at commit (a recompute runs in one transaction), or by finish().
            drop = " ON COMMIT DROP" if connection.in_atomic_block else ""
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.temp}{drop} AS "  # noqa: S608
                f"SELECT {names} FROM {self.table} WITH NO DATA"
            )
            self.started = True
        with cursor.cursor.copy(f"COPY {self.temp} ({names}) FROM STDIN") as copy:  # noqa: S608
            for row in self.rows:
                copy.write_row((row[-1], *row[:-1]))

    def finish(self) -> None:
        self.flush()
        if not self.started:
            return
        sets = ", ".join(f"{col} = v.{col}" for col in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} SET {sets} FROM {self.temp} AS v "  # noqa: S608
                f"WHERE {self.table}.id = v.id"
            )
            cursor.execute(f"DROP TABLE {self.temp}")
        self.started = False


class Inserter(_Batched):
    """`add(row)` for every new row (values in `fields` order), then `finish()`.

    PostgreSQL: COPY straight into the table; elsewhere one executemany INSERT per batch."""

    def __init__(self, model, fields: list[str]):
        ops = connection.ops
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(ops.quote_name(model._meta.get_field(f).column) for f in fields)
        self.marks = ", ".join(["%s"] * len(fields))
        self.rows: list[tuple] = []

    def finish(self) -> None:
        self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                copy_sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                rows = [tuple(map(_adapt, row)) for row in self.rows]
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.marks})",  # noqa: S608
                    rows,
                )
        self.rows.clear()


def _adapt(value):
    if isinstance(value, Decimal):
        return connection.ops.adapt_decimalfield_value(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
