"""Hot queries compiled once and prepared on PostgreSQL (common/compiled.py): same rows as the
ORM, still counted, still right after a rollback, and prepared only when allowed."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kaohe.accounts.backends import ModelBackend
from kaohe.accounts.models import User
from kaohe.common.compiled import fetch_instance, fetch_rows, stamp_row
from kaohe.schemes.models import Indicator, Scheme

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _users(pk):
    return User.objects.filter(pk=pk)


def _scheme_name(pk):
    return Scheme.objects.filter(pk=pk).values("name")


def test_an_instance_is_the_orms_field_for_field(demo_users):
    office = demo_users["office"]
    User.objects.filter(pk=office.pk).update(last_login="2020-12-01T08:00:00+08:00")
    expected = User.objects.get(pk=office.pk)
    found = fetch_instance("test.user", _users, office.pk)
    assert found is not None and found._state.adding is False and found._state.db == "default"
    for field in User._meta.concrete_fields:
        value, want = getattr(found, field.attname), getattr(expected, field.attname)
        assert value == want and type(value) is type(want), field.name  # converters applied
    assert fetch_instance("test.user", _users, 10**9) is None


def _leaf_values(pk):
    return (
        Indicator.objects.filter(scheme_id=pk)
        .order_by("pk")
        .values_list("pk", "code", "max_score", "component__code", "applies_to")
    )


def test_rows_are_the_orms_value_for_value(demo):
    """Decimals, text, a join and a many-to-many: the ORM's rows, converters applied (SQLite
    keeps decimals as floats), for whichever scheme is asked."""
    other = Scheme.objects.create(
        code="other", name="另一方案", year=2021, owner_unit=demo.owner_unit
    )
    for scheme in (demo, other, demo):
        expected = list(_leaf_values(scheme.pk))
        found = fetch_rows("test.leaf_values", _leaf_values, scheme.pk)
        assert [tuple(row) for row in found] == expected
        assert [tuple(map(type, row)) for row in found] == [
            tuple(map(type, row)) for row in expected
        ]
    assert expected and any(row[4] is not None for row in expected)  # the demo has applies_to


def test_the_signed_in_user_is_read_through_it(demo_users):
    backend, office = ModelBackend(), demo_users["office"]
    with CaptureQueriesContext(connection) as queries:
        assert backend.get_user(str(office.pk)) == office  # the session keeps the id as text
    [query] = queries.captured_queries  # counted and logged like any other query
    assert f'"accounts_user"."id" = {office.pk}' in query["sql"] and "%s" not in query["sql"]
    for bad in ("", "x", "-1", "0", str(2**63), None):
        assert backend.get_user(bad) is None
    User.objects.filter(pk=office.pk).update(is_active=False)
    assert backend.get_user(office.pk) is None  # a deactivated user is signed out at once


def test_a_statement_survives_a_rolled_back_transaction(demo):
    assert stamp_row("test.name", _scheme_name, demo.pk) == (demo.name,)
    with pytest.raises(RuntimeError), transaction.atomic():
        Scheme.objects.filter(pk=demo.pk).update(name="改名")
        assert stamp_row("test.name", _scheme_name, demo.pk) == ("改名",)
        raise RuntimeError
    assert stamp_row("test.name", _scheme_name, demo.pk) == (demo.name,)


def _prepared(sql_start: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return sum(1 for (text,) in cursor.fetchall() if text.startswith(sql_start))


@on_postgres
def test_postgres_prepares_the_statement_once_per_connection(demo, settings):
    other = Scheme.objects.exclude(pk=demo.pk).first() or demo
    stamp_row("test.prepared", _scheme_name, demo.pk)
    stamp_row("test.prepared", _scheme_name, other.pk)
    assert _prepared('SELECT "schemes_scheme"."name"') == 1


@on_postgres
def test_preparing_can_be_turned_off(demo, settings):
    settings.KAOHE_PREPARED_STATEMENTS = False
    before = _prepared('SELECT "schemes_scheme"."name"')
    assert stamp_row("test.unprepared", _scheme_name, demo.pk) == (demo.name,)
    assert _prepared('SELECT "schemes_scheme"."name"') == before
