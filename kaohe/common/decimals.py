"""Numbers people type: the one parser for decimals, integers and ids, and the rounding rule.

Accepted: ASCII digits and full-width digits (０-９), one decimal point (. or ．, or a single
comma), an optional sign. Refused: exponents (1e999), other scripts' digits (٣), digit
separators (1_0), and numbers longer than any field can hold, so nothing downstream
(quantize, loops, the database) ever sees them. The API uses the same functions.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy

CENT = Decimal("0.01")
MAX_INTEGER_DIGITS = 12  # far above any score, count or id a field holds
MAX_FRACTION_DIGITS = 6
MAX_ID = 2**63 - 1  # BigAutoField
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)


class NumberError(ValueError):
    """The text is not a number this system accepts; the message says why (in the active
    language). `too_long` marks a number with more digits than any field holds."""

    too_long = False


class _TooLong(NumberError):
    too_long = True


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Round half up to `places` (default 2 decimals): 89.995 → 90.00."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _normalise(raw) -> str:
    text = str(raw).strip().translate(_FULL_WIDTH)
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def parse_number(raw, label: str = gettext_lazy("数值")) -> Decimal | None:
    """A typed number as an exact Decimal; None when blank; NumberError when not accepted."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError(gettext("%(label)s必须是数字。") % {"label": label})
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberError(gettext("%(label)s必须是数字。") % {"label": label})
        text = format(raw, "f")
    elif isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        # Excel hands us floats; their shortest repr is what the user typed (1e-05 included).
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberError(gettext("%(label)s必须是数字。") % {"label": label})
        text = format(Decimal(repr(raw)), "f")
    else:
        text = _normalise(raw)
    if not text:
        return None
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise NumberError(
            gettext("%(label)s“%(value)s”不是数字（只接受 0-9 的数字和小数点）。")
            % {"label": label, "value": str(raw)[:40]}
        )
    whole, fraction = match.group(2), match.group(3) or ""
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise _TooLong(
            gettext("%(label)s“%(value)s”位数过多。") % {"label": label, "value": str(raw)[:40]}
        )
    return Decimal(text)


def parse_decimal(raw) -> Decimal | None:
    """Parse a number typed by a person ('85', '85.5', ' 85,5 ', '８５'); None if not a number."""
    try:
        return parse_number(raw)
    except NumberError:
        return None


def parse_int(
    raw, label: str = gettext_lazy("数量"), *, minimum: int = 0, maximum: int
) -> int | None:
    """A whole number in [minimum, maximum]; None when blank; NumberError otherwise."""
    try:
        value = parse_number(raw, label)
    except NumberError as exc:
        if exc.too_long:
            raise
        raise NumberError(
            gettext("%(label)s必须是整数（只接受 0-9 的数字）。") % {"label": label}
        ) from None
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberError(gettext("%(label)s必须是整数。") % {"label": label})
    if value < 0 <= minimum:
        raise NumberError(gettext("%(label)s不能为负数。") % {"label": label})
    if not minimum <= value <= maximum:
        raise NumberError(
            gettext("%(label)s应在 %(minimum)s 到 %(maximum)s 之间。")
            % {"label": label, "minimum": minimum, "maximum": maximum}
        )
    return int(value)


def parse_id(raw) -> int | None:
    """An object id from a form or URL parameter; None when it is not one (never raises)."""
    try:
        return parse_int(raw, gettext("编号"), minimum=1, maximum=MAX_ID)
    except NumberError:
        return None


def parse_ids(values) -> list[int]:
    """The valid ids among `values` (e.g. request.POST.getlist(...)), others dropped."""
    ids = (parse_id(v) for v in values)
    return [i for i in ids if i is not None]
