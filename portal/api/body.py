"""The one reader of JSON request bodies on the API: an object, or a clear 400."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from portal.api.errors import ApiError

NOT_AN_OBJECT = _l("Send a JSON object with the header 'Content-Type: application/json'.")
NUL_IN_TEXT = _l("A text in the body holds the NUL character (\\u0000), which no text may hold.")


def _holds_nul(value: object) -> bool:
    """Whether a decoded JSON value has a NUL in any string, key or value, at any depth: no
    PostgreSQL text column stores one, and the first to reach the database fails the request."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def json_object(*, optional: bool = False) -> dict:
    """The request's JSON body, which must be an object (`{...}`).

    `"x"`, `[1]`, `null`, malformed or absurdly nested JSON are refused with a 400; with
    `optional`, an empty body reads as `{}` (for actions whose fields are all optional).
    """
    if optional and not request.get_data(cache=True):
        return {}
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # '[[[[…' nested deeper than the parser's stack
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", NOT_AN_OBJECT)
    if _holds_nul(body):
        raise ApiError(400, "bad_request", NUL_IN_TEXT)
    return body
