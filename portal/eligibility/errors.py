"""Refusals of eligibility and integrity operations ('eligibility.*') and what each says."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class EligibilityError(DomainError):
    """A refused eligibility or integrity operation (see MESSAGES)."""

    namespace = "eligibility"


class RulesInvalid(EligibilityError):
    """The rules form's problems, keyed by field name."""

    def __init__(self, problems: dict[str, object]):
        super().__init__("invalid", count=len(problems))
        self.problems = problems


MESSAGES = {
    "not_allowed": _l("You may not do this."),
    "invalid": _l("Some values need correcting; see the messages beside them."),
    "not_editable": _l("The declaration can be signed only while the application can be changed."),
    "no_declaration": _l("The unit has not signed the declaration; there is nothing to contest."),
    "already_contested": _l("This declaration is already contested."),
    "reason_required": _l("Give the reason."),
    "already_found": _l("A finding is already recorded for this application."),
    "future_date": _l("The day of the finding cannot be in the future."),
    "draft": _l("A finding is recorded on a handed-in application, not on a draft."),
    "nobody_to_bar": _l(
        "This application names no credit code or ID number, so no one can be barred."
    ),
    "barred_unit": _l(
        "Your unit (credit code %(code)s) is barred from applying in campaigns up to "
        "%(year)s: material of its application in the %(found_year)s campaign was found "
        "to be fabricated or to conceal facts (%(source)s, %(day)s)."
    ),
}
register(EligibilityError.namespace, MESSAGES)
