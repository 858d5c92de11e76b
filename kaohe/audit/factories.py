"""Test factories for the audit chain (events are only ever appended through audit_record)."""

from .audit_actions import AUDIT_EXPORT
from .services import audit_record


def make_event(*, actor=None, action: str = AUDIT_EXPORT, message: str = "测试事件"):
    return audit_record(action=action, actor=actor, message=message)
