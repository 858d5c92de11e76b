"""The schemes querysets: access-restricted lists and the indicator filters."""

from django.db import models

from .choices import ScoringMethod


class RestrictedQuerySet(models.QuerySet):
    """`restrict(user)`: only the rows the user may see (NetBox's pattern); the rule itself
    lives in schemes/access.py as `<model>_q(user)`, built on accounts/access.py primitives."""

    access_rule = ""

    def restrict(self, user):
        from . import access

        q = getattr(access, self.access_rule)(user)
        return self if q is None else self.filter(q).distinct()


class SchemeQuerySet(RestrictedQuerySet):
    access_rule = "scheme_q"


class SubjectQuerySet(RestrictedQuerySet):
    access_rule = "subject_q"


class IndicatorQuerySet(models.QuerySet):
    """Which indicators carry scores, and for whom — each filter written once."""

    def scorable(self):
        """Leaves that can carry a value: no children, and a max score (or a veto). A heading
        left without children and without a max score is not a leaf to score."""
        return self.filter(children__isnull=True).filter(
            models.Q(max_score__isnull=False) | models.Q(method=ScoringMethod.VETO)
        )

    def applying_to(self, subject):
        """Indicators that apply to the subject's unit category (none listed: every subject)."""
        return self.filter(
            models.Q(applies_to__isnull=True) | models.Q(applies_to=subject.unit_category_id)
        ).distinct()
