"""Expert review: experts reach only their own assignments; the office runs the rest."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only

EXPERT = only("expert")
OFFICE = only("office")


def _expert(user):
    """The pool entry of the user when they are an expert, else an unrelated expert."""
    from tests.scoring.helpers import make_expert

    if user is not None and user.role is Role.EXPERT:
        return make_expert(organization=user.organization, user=user)
    return make_expert()


def _assignment(user):
    from tests.scoring.helpers import assigned_sheet

    return assigned_sheet(_expert(user))


def _index(user):
    _expert(user)
    return "/scoring/"


def _pledge(user):
    a = _assignment(user)
    return f"/scoring/campaigns/{a.campaign_id}/pledge"


def _on_assignment(suffix: str = ""):
    return lambda user: f"/scoring/assignments/{_assignment(user).id}{suffix}"


def _campaign(suffix: str):
    def url(user):
        from tests.factories import make_campaign
        from tests.scoring.helpers import _next_year

        return f"/scoring/campaigns/{make_campaign(year=_next_year()).id}{suffix}"

    return url


def _expert_edit(user):
    from tests.scoring.helpers import make_expert

    return f"/scoring/experts/{make_expert(login=False).id}/edit"


def _panel(suffix: str = ""):
    def url(user):
        a = _assignment(user)
        return f"/scoring/panels/{a.panel_id}{suffix}"

    return url


def _withdrawn(user):
    from portal.db import get_session
    from portal.scoring import assignment as assigning
    from portal.scoring.models import WithdrawalKind

    a = _assignment(user)
    assigning.withdraw(get_session(), a.expert.user, a.expert, a, WithdrawalKind.CONFLICT, "本单位")
    return f"/scoring/assignments/{a.id}/reassign"


def _sheet(suffix: str = ""):
    def url(user):
        return f"/scoring/sheets/{_assignment(user).sheet.id}{suffix}"

    return url


SPECS = [
    Spec("scoring.index", EXPERT, url=_index),
    Spec("scoring.pledge", EXPERT, url=_pledge),
    Spec(
        "scoring.pledge",
        EXPERT,
        method="POST",
        url=_pledge,
        data={"accept": "y"},
        name="pledge-post",
    ),
    Spec("scoring.packet", EXPERT, url=_on_assignment()),
    Spec(
        "scoring.save_sheet",
        EXPERT,
        method="POST",
        url=_on_assignment("/sheet"),
        data={"item-idea": "10"},
    ),
    Spec("scoring.lock_sheet", EXPERT, method="POST", url=_on_assignment("/lock")),
    Spec(
        "scoring.withdraw",
        EXPERT,
        method="POST",
        url=_on_assignment("/withdraw"),
        data={"kind": "abstain", "reason": "曾指导该班组"},
    ),
    Spec("scoring.overview", OFFICE),
    Spec("scoring.experts", OFFICE),
    Spec("scoring.new_expert", OFFICE),
    Spec("scoring.new_expert", OFFICE, method="POST", name="new-expert-post"),
    Spec("scoring.edit_expert", OFFICE, url=_expert_edit),
    Spec("scoring.edit_expert", OFFICE, method="POST", url=_expert_edit, name="edit-expert-post"),
    Spec("scoring.panels", OFFICE, url=_campaign("/panels")),
    Spec("scoring.new_panel", OFFICE, url=_campaign("/panels/new")),
    Spec(
        "scoring.new_panel",
        OFFICE,
        method="POST",
        url=_campaign("/panels/new"),
        name="new-panel-post",
    ),
    Spec("scoring.panel", OFFICE, url=_panel()),
    Spec("scoring.edit_panel", OFFICE, url=_panel("/edit")),
    Spec("scoring.edit_panel", OFFICE, method="POST", url=_panel("/edit"), name="edit-panel-post"),
    Spec("scoring.auto_assign", OFFICE, method="POST", url=_panel("/auto")),
    Spec("scoring.assign", OFFICE, method="POST", url=_panel("/assign")),
    Spec("scoring.reassign", OFFICE, method="POST", url=_withdrawn),
    Spec("scoring.progress", OFFICE, url=_campaign("/progress")),
    Spec("scoring.remind", OFFICE, method="POST", url=_campaign("/remind")),
    Spec("scoring.sheet", OFFICE, url=_sheet()),
    Spec("scoring.reopen", OFFICE, method="POST", url=_sheet("/reopen"), data={"reason": "复核"}),
]
