"""Refusals of sign-in, registration and password reset ('account.*'), and their words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class AccountError(DomainError):
    """A refused sign-in, registration or reset (see MESSAGES)."""

    namespace = "account"


MESSAGES = {
    "bad_credentials": _l("Wrong email or password."),
    "throttled": _l(
        "Too many failed attempts. Please wait %(minutes)s minutes or reset your password."
    ),
    "credit_code_taken": _l(
        "A unit with this unified social credit code is already registered. "
        "Ask its account holder or the programme office for access."
    ),
    "unit_name_taken": _l("A unit with this name is already registered."),
    "email_taken": _l("This email address already has an account."),
    "reset_expired": _l("This password reset link has expired. Please ask for a new one."),
    "reset_invalid": _l("This password reset link is not valid, or was already used."),
}
register(AccountError.namespace, MESSAGES)
