"""Decimal helpers: parsing user input and the single rounding rule (四舍五入)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Round half up to `places` (default 2 decimals): 89.995 → 90.00."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def parse_decimal(raw) -> Decimal | None:
    """Parse a number typed by a person ('85', '85.5', ' 85,5 ', '８５'); None if not a number."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Excel hands us floats; their shortest repr is what the user typed.
        return Decimal(repr(raw))
    text = str(raw).strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
