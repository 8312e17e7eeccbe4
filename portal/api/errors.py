"""JSON errors for every /api/ path, in the caller's language."""

from __future__ import annotations

import json

from babel import Locale
from flask import Response, current_app, g, jsonify, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

# Messages for HTTP errors raised by routing or abort(); keyed by status code.
HTTP_MESSAGES = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Authentication is required.")),
    403: ("forbidden", _l("You are not allowed to do this.")),
    404: ("not_found", _l("There is no such resource in the API.")),
    405: ("method_not_allowed", _l("This HTTP method is not allowed on this resource.")),
    413: ("payload_too_large", _l("The request body is too large.")),
    429: ("too_many_requests", _l("Too many requests. Please wait a moment and try again.")),
    500: ("server_error", _l("Something went wrong on our side. Please try again later.")),
}


# The last resort when even the translated answer cannot be built: the 500 message's msgid.
FALLBACK_BODY = json.dumps(
    {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. Please try again later.",
        }
    }
)


class ApiError(Exception):
    """A refusal answered as `{"error": {"code": ..., "message": ...}}`."""

    def __init__(self, status: int, code: str, message, headers: dict | None = None, **extra):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message  # a lazy string (_l), translated when answered
        self.headers = headers or {}
        self.extra = extra


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def api_locale() -> str:
    """`?lang=`, then Accept-Language, then the token user's saved choice, else Chinese."""
    languages = current_app.config["LANGUAGES"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    by_language = {Locale.parse(lang).language: lang for lang in languages}
    for value, _quality in request.accept_languages:
        primary = value.replace("_", "-").split("-")[0].lower()
        if primary in by_language:
            return by_language[primary]
    if g.get("api_user_locale") in languages:
        return g.api_user_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def localized(response: Response) -> Response:
    response.headers["Content-Language"] = api_locale().replace("_", "-")
    response.vary.add("Accept-Language")
    return response


def error_response(err: ApiError) -> Response:
    with force_locale(api_locale()):
        message = str(err.message)
    body = {"error": {"code": err.code, "message": message, **err.extra}}
    response = localized(jsonify(body))
    response.status_code = err.status
    response.headers.update(err.headers)
    return response


def http_error_response(exc: HTTPException | Exception) -> Response:
    """The JSON answer to an HTTP error or an unexpected failure; it cannot fail itself.

    It reads nothing from the database (the failure may have been the database's). Should
    building it fail all the same, a fixed JSON 500 is answered rather than an HTML page.
    """
    try:
        return _http_error_response(exc)
    except Exception:
        current_app.logger.exception("the JSON error answer failed; a fixed one is sent")
        return Response(FALLBACK_BODY, status=500, mimetype="application/json")


def _http_error_response(exc: HTTPException | Exception) -> Response:
    status = exc.code if isinstance(exc, HTTPException) and exc.code else 500
    code, message = HTTP_MESSAGES.get(status, ("http_error", _l("The request failed.")))
    # A refusal that says what was wrong keeps its words (portal.inputs, portal.limits).
    message = getattr(exc, "message", None) or message
    headers = {}
    if isinstance(exc, HTTPException) and exc.code == 405:
        valid = getattr(exc, "valid_methods", None) or []
        headers["Allow"] = ", ".join(sorted(valid))
    return error_response(ApiError(status, code, message, headers=headers))
