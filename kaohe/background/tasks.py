"""Background tasks of the background app itself (a probe used by tests and the rehearsal)."""

import time

from django_tasks import task

from .progress import progress_set


@task()
def probe(seconds: float = 0.0, steps: int = 1) -> dict:
    """Sleep `seconds` in `steps`, reporting progress; returns what it did."""
    for step in range(steps):
        time.sleep(seconds / max(steps, 1))
        progress_set(step + 1, steps, "probe", force=True)
    return {"slept": seconds, "steps": steps}
