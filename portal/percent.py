"""How a share is written wherever it is shown, on pages and in documents: one decimal,
rounded half up, with the per cent sign (58.3%)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ONE_DECIMAL = Decimal("0.1")


def one_decimal(value) -> Decimal | None:
    """The value rounded half up to one decimal; None for None, blank or unreadable text.

    Accepts a Decimal, an int, a float (by its shortest text, so 58.3 stays 58.3) or the text
    of a number, as frozen versions keep their figures."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal) and value.is_finite():  # as read from the database
        return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return number.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent_text(value, empty: str = "", sign: bool = True) -> str:
    """'58.3%' for a share, `empty` when there is none; '58.3' without the sign, for a
    column or sentence that already says per cent."""
    number = one_decimal(value)
    if number is None:
        return empty
    return f"{number}%" if sign else str(number)
