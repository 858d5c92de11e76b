"""Background task: a large results recompute."""

from django_tasks import task

RECOMPUTE_REF = "scoring.scheme:{}"


@task()
def results_recompute_task(scheme_id: int, actor_id: int | None = None, reason: str = "") -> int:
    from django.contrib.auth import get_user_model

    from kaohe.schemes.models import Scheme

    from .services import results_recompute

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return results_recompute(scheme=Scheme.objects.get(pk=scheme_id), actor=actor, reason=reason)
