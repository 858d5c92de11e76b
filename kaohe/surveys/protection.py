"""Stuffing resistance without a captcha: device tokens, idempotency keys, rate limits, bursts.

Addresses are used only to build cache keys (hashed with the secret key, dropped after an
hour) and are never written to the database or to a log line.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)
DEVICE_SALT = "kaohe.surveys.device"
DEVICE_MAX_AGE = 30 * 24 * 3600
BURST_WINDOW_MINUTES = 10


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def cookie_name(survey) -> str:
    return f"ksv{survey.pk}"


def device_token_new(survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=DEVICE_SALT)


def device_nonce(survey, token: str | None) -> str | None:
    """The nonce of a valid token for this survey, or None (missing, forged, expired)."""
    if not token or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey.pk or not data.get("n"):
        return None
    return str(data["n"])


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(16)


def rate_limit_per_hour() -> int:
    return int(getattr(settings, "KAOHE_SURVEY_RATE_PER_HOUR", 30))


def _address_key(address: str, survey_pk: int) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    message = f"{address}|{survey_pk}|{hour}".encode()
    keyed = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return "kaohe:surveys:rate:" + keyed


def cache():
    """The shared counter cache (Redis, or the database cache table): see settings.CACHES."""
    return caches["surveys"]


def _count(key: str, timeout: int) -> int:
    """Increment a counter; the hot path is one incr (fewest queries on the database cache)."""
    store = cache()
    try:
        return store.incr(key)
    except ValueError:  # not there yet (or expired): start it
        if store.add(key, 1, timeout=timeout):
            return 1
        return store.incr(key)


def rate_limited(address: str, survey_pk: int) -> bool:
    """Count one submission from this address; True once the hourly limit is passed.

    A broken cache never blocks respondents: the limit is skipped and a warning (without the
    address) is logged.
    """
    limit = rate_limit_per_hour()
    if limit <= 0 or not address:
        return False
    try:
        return _count(_address_key(address, survey_pk), 3600) > limit
    except Exception:  # noqa: BLE001 - any cache failure
        logger.warning("满意度调查限速计数失败（缓存不可用），本次不限速。", exc_info=True)
        return False


def answers_signature(answers) -> str:
    parts = sorted(f"{a.question_id}:{a.choice_id or ''}:{a.text}" for a in answers)
    return digest("\n".join(parts))


def burst_count(survey_pk: int, target_pk: int, signature: str) -> tuple[int, str]:
    """Count identical answers in the current 10-minute window; (count, window label)."""
    now = timezone.localtime()
    start = now.replace(minute=now.minute - now.minute % BURST_WINDOW_MINUTES, second=0)
    start = start.replace(microsecond=0)
    end = start + timedelta(minutes=BURST_WINDOW_MINUTES)
    key = f"kaohe:surveys:burst:{survey_pk}:{target_pk}:{signature}:{start:%Y%m%d%H%M}"
    try:
        count = _count(key, BURST_WINDOW_MINUTES * 60 * 2)
    except Exception:  # noqa: BLE001 - any cache failure
        logger.warning("满意度调查重复答卷计数失败（缓存不可用）。", exc_info=True)
        count = 0
    return count, f"{start:%H:%M}-{end:%H:%M}"
