"""Answer the confirmation dialogs a page asks before what cannot be undone, and keep what
was asked, so a test can check that the question came once and what it said."""

from __future__ import annotations


def answer_dialogs(page, *, accept: bool = True) -> list[str]:
    """From now on, accept (or dismiss) every dialog of the page; returns the list of their
    messages, which grows as dialogs come."""
    asked: list[str] = []

    def handle(dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", handle)
    return asked
