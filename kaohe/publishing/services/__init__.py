"""publishing services, split by topic."""

from .publicity import (  # noqa: F401
    FREEZABLE,
    UNDER_REVIEW,
    objection_decide,
    objection_submit,
    office_users,
    publicity_is_open,
    publicity_open,
    scheme_finalise,
    scheme_freeze,
    scheme_reopen,
    snapshot_take,
    unit_users,
)
