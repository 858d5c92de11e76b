"""JSON errors: every refusal is {"code", "message", "errors"?} with a stable code and a
Chinese message; validation errors name the field (and the row of a bulk request)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from .score_service import ScoreConflict


class ApiError(Exception):
    """A refusal with its HTTP status, stable code, Chinese message and per-row errors."""

    def __init__(self, status: int, code: str, message: str, errors: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []


def body(code: str, message: str, errors: list | None = None) -> dict:
    data = {"code": code, "message": message}
    if errors:
        data["errors"] = errors
    return data


def _row_and_field(loc: list) -> tuple[int | None, str]:
    """('body', 'payload', 'rows', 3, 'value') → row 3, field 'rows[3].value'."""
    parts = [p for p in loc if p not in ("body", "payload", "query", "path", "form", "file")]
    row = next((p for p in parts if isinstance(p, int)), None)
    field = ""
    for part in parts:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return row, field


def _ninja_validation(exc: NinjaValidationError) -> list[dict]:
    errors = []
    for item in exc.errors:
        row, field = _row_and_field(list(item.get("loc", [])))
        entry = {"field": field, "message": _chinese(item)}
        if row is not None:
            entry["row"] = row
        errors.append(entry)
    return errors


def _chinese(item: dict) -> str:
    kind = item.get("type", "")
    known = {
        "missing": "必填",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "decimal_parsing": "应为数字",
        "decimal_type": "应为数字",
        "string_type": "应为文本",
        "string_too_long": "文本过长",
        "greater_than_equal": "数值过小",
        "less_than_equal": "数值过大",
        "too_long": "条目过多",
        "too_short": "条目过少",
        "json_invalid": "不是合法的 JSON",
        "model_attributes_type": "格式不正确",
        "dict_type": "应为对象",
        "list_type": "应为数组",
        "literal_error": "取值不在允许范围内",
        "enum": "取值不在允许范围内",
    }
    return known.get(kind, "格式不正确") + f"（{item.get('msg', '')}）"


def install(api) -> None:
    """Register the handlers on the NinjaAPI instance."""

    def respond(request, status, data, headers=None):
        response = api.create_response(request, data, status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, body(exc.code, exc.message, exc.errors))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc) if exc.args and str(exc) else "对象不存在"
        return respond(request, 404, body("not_found", message))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            401,
            body("unauthenticated", "未登录或令牌无效（已过期、已撤销）。"),
            {"WWW-Authenticate": 'Bearer realm="kaohe"'},
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, body("forbidden", str(exc) or "没有权限执行此操作。"))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = int(exc.wait or 60) + 1
        return respond(
            request,
            429,
            body("rate_limited", f"请求过于频繁，请 {wait} 秒后重试。"),
            {"Retry-After": str(wait)},
        )

    _install_validation_handlers(api, respond)


def _install_validation_handlers(api, respond) -> None:
    """Refusals of the request's content: schema, version conflicts, the services' rules."""

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc):
        return respond(
            request, 422, body("validation_error", "请求数据有误。", _ninja_validation(exc))
        )

    @api.exception_handler(ScoreConflict)
    def conflict(request, exc):
        return respond(request, 409, body("version_conflict", "；".join(exc.messages)[:2000]))

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        return respond(request, 400, body("invalid", "；".join(exc.messages)[:2000], messages(exc)))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 403 and "CSRF" in str(exc):
            message = "CSRF 校验失败：以浏览器会话调用写接口须带 X-CSRFToken 请求头。"
            return respond(request, 403, body("csrf_failed", message))
        return respond(request, exc.status_code, body(f"http_{exc.status_code}", str(exc)))


def messages(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": m}
            for field, errors in exc.message_dict.items()
            for m in errors
        ]
    return [{"message": m} for m in exc.messages]
