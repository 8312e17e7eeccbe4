"""Parsing of untrusted numbers from paths, query strings and forms, shared by every page.

Two traps make a naive `int()` unsafe here. `str.isdigit()` accepts characters such as '²'
that `int()` refuses, and `int()` accepts other scripts' digits ('٣'); only ASCII 0-9 count.
And a number too large for the database's integer column (PostgreSQL `integer` stops at
2**31 - 1; SQLite's driver refuses Python ints beyond 2**63 - 1) fails inside the query:
every identifier, page number or count is bounded before it reaches SQL.
"""

from __future__ import annotations

import re
from typing import Any, overload

from flask import request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map, ValidationError
from wtforms import IntegerField

DB_INT_MAX = 2**31 - 1  # the largest value of an `integer` column on PostgreSQL
_DIGITS = re.compile(r"[0-9]{1,18}")


def is_ascii_digits(text: str) -> bool:
    """Whether the text is one or more of the ASCII digits 0-9 (not '²', not '٣')."""
    return bool(text) and text.isascii() and text.isdigit()


def parse_int(text: object, lowest: int = 0, highest: int = DB_INT_MAX) -> int | None:
    """The whole number the text spells in ASCII digits within [lowest, highest], else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if lowest <= value <= highest else None


class BadInput(BadRequest):
    """A 400 whose message (lazily translated) the error page shows in the user's language."""

    def __init__(self, message: LazyString | str, parameter: str | None = None) -> None:
        super().__init__(description=str(message))
        self.message = message
        self.parameter = parameter


def range_message(name: str, lowest: int, highest: int) -> LazyString:
    return _l(
        "The parameter %(name)s must be a whole number from %(low)s to %(high)s.",
        name=name,
        low=lowest,
        high=highest,
    )


@overload
def query_int(name: str, default: int, lowest: int = 1, highest: int = DB_INT_MAX) -> int: ...
@overload
def query_int(
    name: str, default: None = None, lowest: int = 1, highest: int = DB_INT_MAX
) -> int | None: ...
def query_int(
    name: str, default: int | None = None, lowest: int = 1, highest: int = DB_INT_MAX
) -> int | None:
    """The query parameter as a bounded whole number; missing or empty gives the default.

    Anything else (letters, '²', a number beyond the bounds) is refused with BadInput (400).
    """
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return default
    value = parse_int(raw, lowest, highest)
    if value is None:
        raise BadInput(range_message(name, lowest, highest), parameter=name)
    return value


def query_text(name: str) -> str:
    """The query parameter as text, its ends stripped and any NUL taken out: no database
    stores NUL, and PostgreSQL refuses a statement that carries one ("" when missing)."""
    return request.args.get(name, "").replace("\x00", "").strip()


def form_lock_version(raw: object) -> int:
    """The hidden lock_version of an edit or decision form; a tampered one is a 400."""
    value = parse_int("0" if raw in (None, "") else raw)
    if value is None:
        raise BadInput(
            _l("The form was damaged in transit. Reload the page and make your change again."),
            parameter="lock_version",
        )
    return value


def digits_at_most(bound: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `bound`, leading zeros
    allowed: shorter numbers, and for each digit of the bound, its prefix followed by a smaller
    digit and any digits after."""
    text = str(bound)
    options = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for at, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - at - 1
            options.append(
                f"{text[:at]}[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else "")
            )
    options.append(text)
    return "0*(?:" + "|".join(options) + ")"


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in routes: ASCII digits only, and never beyond the database's integer range,
    so `/notice/99999999999999999999999` is a 404 like any other unknown record.

    The bound is in the path's pattern, not only in the conversion: werkzeug checks the method
    of a route whose path matched before it converts, so a PATCH to a number beyond the range
    would otherwise be a 405 naming the methods of the route that does not exist."""

    regex = digits_at_most(DB_INT_MAX)

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DB_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)

    def to_python(self, value: str) -> Any:
        if len(value) > 18:  # beyond any bound, and int() of very long text is refused
            raise ValidationError()
        return super().to_python(value)


class WholeNumberField(IntegerField):
    """A form's IntegerField of ASCII digits (an optional leading minus) within the database's
    integer range: '٣' or 10**20 is 'not a valid integer', never an overflow in the query."""

    # As for every WTForms field: None until a number is given, which the field's validators
    # (InputRequired) make sure of before a view reads it.
    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        negative = text.startswith("-")
        value = parse_int(text[1:] if negative else text)
        if value is None:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        self.data = -value if negative else value
