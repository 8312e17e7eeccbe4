"""Headers on every response: no framing, a content security policy, no type sniffing, and
no full URLs (which may hold a reset token) sent to other sites as the referrer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# The portal's own files only: no inline script, style or event handler, no plugins, no
# <base> tricks, forms post to the portal, and no site (this one included) may frame a page.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


class SecurityHeaders:
    """WSGI middleware adding SECURITY_HEADERS to every answer of the app it wraps.

    Below Flask rather than in an after_request function, so that no answer goes without
    them: static files, error pages, the API, and answers whose after_request chain failed.
    A header the answer already carries is left as it is.
    """

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            present = {name.lower() for name, _value in headers}
            headers.extend(h for h in SECURITY_HEADERS if h[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    # Flask's documented way to add WSGI middleware; its stubs declare wsgi_app a method.
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
