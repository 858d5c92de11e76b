"""The huey instance that carries run ids from the web to the workers.

- tests (or KAOHE_TASKS_IMMEDIATE=1): immediate mode, the task runs in the calling thread;
- KAOHE_TASKS_REDIS_URL (defaults to REDIS_URL): Redis storage, shared by every machine;
- otherwise: a SQLite file under the data directory (the embedded default, no new service).
"""

from functools import cache

from django.conf import settings
from huey import MemoryHuey, RedisHuey, SqliteHuey


@cache
def _setup():
    from . import periodic, runner

    # utc=False: crontabs ("reminders at 08:00") in local time, which Django sets to TIME_ZONE.
    if settings.KAOHE_TASKS_IMMEDIATE:
        huey = MemoryHuey("kaohe", immediate=True, results=False, utc=False)
    elif settings.KAOHE_TASKS_REDIS_URL:
        huey = RedisHuey("kaohe", url=settings.KAOHE_TASKS_REDIS_URL, results=False, utc=False)
    else:
        path = settings.DATA_DIR / "tasks.sqlite3"
        huey = SqliteHuey("kaohe", filename=str(path), results=False, timeout=20, utc=False)
    run = huey.task(name="run")(runner.execute)
    periodic.register(huey)
    return huey, run


def get_huey():
    return _setup()[0]


def submit(run_id: int) -> None:
    """Put a run's id on the queue (the worker loads everything else from the row)."""
    _setup()[1](run_id)


def immediate() -> bool:
    return bool(settings.KAOHE_TASKS_IMMEDIATE)
