"""Hot, fixed-shape queries compiled once per process and prepared once per connection.

A stamp query (a handful of scalar subqueries) or a primary-key lookup runs in PostgreSQL in
a fraction of a millisecond, but the ORM spends several building and compiling it, and the
server spends as long again planning it. Each such query is therefore compiled once per process
with a stand-in id (later requests only bind the id), and on PostgreSQL it is sent as a prepared
statement (server-side binding, `prepare=True`): each connection plans it once and then reuses
the plan. Measured on a signed-in page of 3–4 such queries: the database's CPU per request fell
by half or more.

`KAOHE_PREPARED_STATEMENTS=0` turns preparing off (e.g. behind PgBouncer in transaction pooling
mode before 1.21, which cannot carry prepared statements); the queries are still compiled once.
The queries still go through Django's cursor wrappers, so query counts and logging see them.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# Stand-in for the id while a query is compiled once; no row has a negative id.
ID_SLOT = -7_340_032


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    slots: tuple[int, ...]  # where the id goes in params
    model: type | None = None  # for `fetch_instance` (_compile_model)
    init_list: tuple[str, ...] = ()
    converters: tuple = ()

    def bind(self, pk) -> list:
        bound = list(self.params)
        for i in self.slots:
            bound[i] = pk
        return bound


_COMPILED: dict[tuple, Compiled] = {}


def _compiled(name: str, build, compile_query) -> Compiled:
    """The query `build(ID_SLOT)` as `compile_query` compiles it, once per process and database."""
    key = (name, connection.vendor, connection.alias)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = compile_query(name, build(ID_SLOT).query)
    return compiled


def _with_slots(name: str, sql: str, params) -> tuple[str, tuple, tuple]:
    slots = tuple(i for i, p in enumerate(params) if p == ID_SLOT)
    if not slots:
        raise ValueError(f"compiled query {name} does not depend on the id")
    return sql, tuple(params), slots


def _compile_rows(name: str, query) -> Compiled:
    return Compiled(*_with_slots(name, *query.sql_with_params()))


def _compile_values(name: str, query) -> Compiled:
    """Also Django's converters of its columns (SQLite returns decimals as floats)."""
    compiler = query.get_compiler(connection=connection)
    sql, params, slots = _with_slots(name, *compiler.as_sql())
    converters = tuple(compiler.get_converters([column[0] for column in compiler.select]).items())
    return Compiled(sql, params, slots, converters=converters)


def _compile_model(name: str, query) -> Compiled:
    """Also what building an instance needs: the model, its columns and Django's converters."""
    compiler = query.get_compiler(connection=connection)
    sql, params, slots = _with_slots(name, *compiler.as_sql())
    klass_info = compiler.klass_info
    if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
        raise ValueError(f"compiled query {name}: one model, no joins or annotations")
    columns = [column[0] for column in compiler.select]
    init_list = tuple(column.target.attname for column in columns)
    converters = tuple(compiler.get_converters(columns).items())
    return Compiled(sql, params, slots, klass_info["model"], init_list, converters)


def preparing() -> bool:
    return connection.vendor == "postgresql" and getattr(
        settings, "KAOHE_PREPARED_STATEMENTS", True
    )


@functools.cache
def _preparing_cursor_class():
    """psycopg's server-side binding cursor (as Django defines it), preparing every statement.
    Defined on first use: the PostgreSQL backend imports psycopg."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


class _LoggedPreparedCursor(CursorDebugWrapper):
    """Logs a prepared statement the way Django logs any other query (with its values in):
    Django reads the text back from a client-binding cursor, which a prepared one is not."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def _cursor():
    """A Django cursor; on PostgreSQL (unless turned off) one whose statements are prepared."""
    if not preparing():
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    if connection.connection.prepare_threshold is None:
        # Django leaves psycopg's preparing off (None), which `prepare=True` does not override;
        # Django's own cursors bind on the client and never prepare, whatever this says.
        connection.connection.prepare_threshold = 5
    raw = _preparing_cursor_class()(connection.connection)
    if connection.queries_logged:  # DEBUG, or a test counting queries
        return _LoggedPreparedCursor(raw, connection)
    return connection.make_cursor(raw)


def valid_id(value) -> int | None:
    """`value` as a primary key that a row could have, or None (a bad id is no such row)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


def _fetch_one(compiled: Compiled, pk) -> tuple | None:
    with _cursor() as cursor:
        cursor.execute(compiled.sql, compiled.bind(pk))
        return cursor.fetchone()


def stamp_row(name: str, build, pk: int) -> tuple:
    """The one row of the stamp query `build(pk)` (a queryset whose only varying parameter is
    the id), as a tuple of raw database values; () when there is none."""
    return tuple(_fetch_one(_compiled(name, build, _compile_rows), pk) or ())


def _converted(row, converters) -> list:
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for convert in functions:
            value = convert(value, expression, connection)
        row[position] = value
    return row


def fetch_instance(name: str, build, pk: int):
    """`build(pk).first()` for a plain one-model queryset, through its compiled, prepared SQL:
    a model instance built from the row (Django's own converters applied), or None."""
    compiled = _compiled(name, build, _compile_model)
    row = _fetch_one(compiled, pk)
    if row is None:
        return None
    row = _converted(row, compiled.converters)
    return compiled.model.from_db(connection.alias, compiled.init_list, row)


def fetch_rows(name: str, build, pk: int) -> list[tuple]:
    """Every row of `build(pk)`, a `values_list` queryset whose only varying parameter is the
    id, through its compiled, prepared SQL, with Django's converters applied where the
    database needs them: the rows `list(build(pk))` gives, without building the query."""
    compiled = _compiled(name, build, _compile_values)
    with _cursor() as cursor:
        cursor.execute(compiled.sql, compiled.bind(pk))
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    return [tuple(_converted(row, compiled.converters)) for row in rows]
