"""The audit key: an HMAC key that lives outside the database (environment or key file).

With it the audit chain, its anchors and backup manifests are keyed: someone who can write
to the database but does not hold the key cannot append, rewrite or re-hash events so that
`kaohe verify-audit` still passes (docs/security.md, "审计链密钥").

Settings (docs/configuration.md): KAOHE_AUDIT_KEY or KAOHE_AUDIT_KEY_FILE give the current
key; KAOHE_AUDIT_OLD_KEYS (or further lines of the key file) the retired keys, still needed
to verify events written before a rotation. Development and tests derive a key from
SECRET_KEY so `make run` and the test suite need no configuration; production requires one.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 32


def key_id(key: bytes) -> str:
    """A short public name of a key (it reveals nothing about the key)."""
    return hashlib.sha256(b"kaohe-audit-key-id:" + key).hexdigest()[:16]


def mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    current: bytes
    keys: dict  # key id → key, the current one included

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def get(self, kid: str) -> bytes | None:
        return self.keys.get(kid)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and line[:1] != "#"]


def _configured() -> list[str]:
    """The configured keys, current first; empty when none is configured."""
    keys: list[str] = []
    path = getattr(settings, "KAOHE_AUDIT_KEY_FILE", "")
    if path:
        try:
            keys = _lines(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ImproperlyConfigured(
                f"无法读取审计密钥文件 KAOHE_AUDIT_KEY_FILE={path}：{exc}"
            ) from exc
        if not keys:
            raise ImproperlyConfigured(f"审计密钥文件 {path} 是空的。")
    current = getattr(settings, "KAOHE_AUDIT_KEY", "")
    if current:
        keys = [current, *keys]
    keys += [k.strip() for k in getattr(settings, "KAOHE_AUDIT_OLD_KEYS", []) if k.strip()]
    return keys


def _development_key() -> str:
    return mac(settings.SECRET_KEY.encode(), "kaohe-audit-development-key")


def keyring() -> Keyring:
    """The keyring from the settings; production without a key stops with a clear message.

    Built once per configuration (settings values and the key file's modification time), so
    appending an event does not re-read the key file.
    """
    path = getattr(settings, "KAOHE_AUDIT_KEY_FILE", "")
    try:
        stamp = Path(path).stat().st_mtime_ns if path else 0
    except OSError:
        stamp = -1
    return _keyring(
        getattr(settings, "KAOHE_AUDIT_KEY", ""),
        path,
        stamp,
        tuple(getattr(settings, "KAOHE_AUDIT_OLD_KEYS", [])),
        bool(getattr(settings, "KAOHE_AUDIT_DEV_KEY", False)),
        settings.SECRET_KEY,
    )


@lru_cache(maxsize=8)
def _keyring(*configuration) -> Keyring:
    raw = _configured()
    if not raw:
        if not getattr(settings, "KAOHE_AUDIT_DEV_KEY", False):
            raise ImproperlyConfigured(
                "生产环境必须设置审计密钥 KAOHE_AUDIT_KEY 或 KAOHE_AUDIT_KEY_FILE"
                "（至少 32 个随机字符，保存在数据库以外）。The audit key is required in "
                'production; generate one with: python -c "import secrets; '
                'print(secrets.token_urlsafe(48))"'
            )
        raw = [_development_key()]
    for value in raw:
        if len(value) < MIN_KEY_LENGTH:
            raise ImproperlyConfigured(f"审计密钥至少 {MIN_KEY_LENGTH} 个字符。")
    keys = [value.encode("utf-8") for value in raw]
    return Keyring(current=keys[0], keys={key_id(k): k for k in keys})
