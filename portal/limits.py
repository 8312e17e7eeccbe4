"""What one request may carry: a cap on the body of every request but uploads, the lengths
of free text, and the range of dates a person's life can span.

The body cap (MAX_BODY_BYTES, 2 MiB unless configured) is checked before anything reads the
body, so a 30 MB JSON body is refused at once, not parsed, stored and audited. Upload
endpoints stream their bodies to storage and keep their own per-campaign caps; they are named
in UPLOAD_ENDPOINTS. Form fields are further capped by Flask's MAX_FORM_MEMORY_SIZE.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024

# Endpoints whose request body is a file being uploaded (multipart or raw octet-stream).
UPLOAD_ENDPOINTS = frozenset(
    {
        "applications.upload",
        "applications.word_in",
        "honours.add_inspection",
        "notice.object_to",
        "reevaluation.save_report",
        "api.upload_file",
    }
)

# Free-text limits in characters, shared by the forms, the services and the API.
NAME_CHARS = 64
TITLE_CHARS = 200
NOTE_CHARS = 500
REASON_CHARS = 2000  # a reason for returning, refusing, moving or reopening
OPINION_CHARS = 4000  # an opinion or review comment
REPLY_CHARS = 5000  # the office's reply to an objection
LONG_TEXT_CHARS = 10000  # a service description or findings
# A narrative may hold this many times its category's limit of Chinese characters in all
# characters: room for punctuation, figures and a draft being cut down.
NARRATIVE_SLACK = 2

# A team member's or a person's age at the campaign's reference date, and the earliest date
# any other date of the forms (a team's founding, a start of work) may carry.
YOUNGEST_AGE = 16
OLDEST_AGE = 80
EARLIEST_DATE = date(1900, 1, 1)


class BodyTooLarge(RequestEntityTooLarge):
    """A 413 whose message says how large a request may be, in the user's language."""

    def __init__(self, limit: int):
        super().__init__()
        self.message = _l(
            "The request is larger than %(mb)s MB. Shorten the text and send it again.",
            mb=f"{limit / (1024 * 1024):g}",
        )


def too_long(text: str | None, limit: int) -> LazyString | None:
    """A message when the text has more than `limit` characters, else None."""
    if text is not None and len(text) > limit:
        return _l("At most %(n)s characters.", n=limit)
    return None


def birth_date_problem(birth: date, reference: date) -> LazyString | None:
    """A message when a person born then would be younger or older than a working adult."""
    age = (
        reference.year - birth.year - ((reference.month, reference.day) < (birth.month, birth.day))
    )
    if not YOUNGEST_AGE <= age <= OLDEST_AGE:
        return _l(
            "This birth date gives an age of %(age)s at the campaign's reference date; it must be "
            "from %(low)s to %(high)s.",
            age=age,
            low=YOUNGEST_AGE,
            high=OLDEST_AGE,
        )
    return None


def init_app(app: Flask) -> None:
    """Cap request bodies; registered before CSRF protection reads any form."""
    app.config.setdefault("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    app.before_request_funcs.setdefault(None, []).insert(0, _cap_body)


def _cap_body() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        return
    limit = int(current_app.config["MAX_BODY_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(limit)
    request.max_content_length = limit  # a body sent without a length stops at the same cap
