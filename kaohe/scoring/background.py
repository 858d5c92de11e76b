"""Background task: a large results recompute."""

from django_tasks import task

RECOMPUTE_REF = "scoring.scheme:{}"


@task()
def results_recompute_task(scheme_id: int, actor_id: int | None = None, reason: str = "") -> dict:
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from kaohe.schemes.models import Scheme

    from .services import results_recompute

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    count = results_recompute(scheme=Scheme.objects.get(pk=scheme_id), actor=actor, reason=reason)
    return {
        "count": count,
        "message": _("已重新计算 %(count)d 个考核对象的成绩、名次和等次。") % {"count": count},
    }
