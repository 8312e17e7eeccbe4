"""Kept for the API's modules until they render refusals themselves (portal.refusals.render)."""

from __future__ import annotations

from portal.refusals import DomainError


def error_message(err: DomainError) -> str:
    return err.message
