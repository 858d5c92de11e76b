"""Why a subject got its grade, in words: the sentence templates the engine fills in.

The stored reason is Chinese (the engine has no Django and results are stored once for every
reader); `scoring.reasons.reason_display` reads it back with these same templates and shows it in
the reader's language. Keep every template here so the two never drift apart.
"""

from .scores import gettext_noop

REASON_SEPARATOR = "；"
REASON_TOTAL = gettext_noop("总分 %(total)s ≥ %(minimum)s → %(grade)s")
REASON_VETO = gettext_noop("一票否决，最高为%(grade)s")
REASON_QUOTA = gettext_noop("%(grade)s名额上限 %(quota)s%%（%(places)s 个）已满，降为下一等次")
REASON_NO_LEVELS = gettext_noop("方案未设置等次规则")
REASON_BELOW = gettext_noop("总分 %(total)s 低于所有等次的最低分")
REASON_TEMPLATES = (REASON_TOTAL, REASON_VETO, REASON_QUOTA, REASON_NO_LEVELS, REASON_BELOW)
