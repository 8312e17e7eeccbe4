"""Answer the confirmation dialogs a page asks before what cannot be undone, and keep what
was asked, so a test can check that the question came once and what it said."""

from __future__ import annotations


class Asked(list):
    """The messages of the dialogs asked so far; `accept` says how the next ones are answered
    (set it to False to press Cancel)."""

    accept: bool = True


def answer_dialogs(page, *, accept: bool = True) -> Asked:
    """From now on, accept (or dismiss) every dialog of the page; returns the list of their
    messages, which grows as dialogs come."""
    asked = Asked()
    asked.accept = accept

    def handle(dialog) -> None:
        asked.append(dialog.message)
        if asked.accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", handle)
    return asked
