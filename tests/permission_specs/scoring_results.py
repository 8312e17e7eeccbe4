"""Scoring results: the office shapes and confirms the candidate list, organizers read it;
experts, channels, enterprises and administrators are refused."""

from tests.permission_specs import Spec, only

VIEW = only("office", "organizer")
MANAGE = only("office")


def _category(user):
    from tests.factories import make_campaign
    from tests.scoring.results_helpers import category_of, make_expert, scored_packet

    campaign = make_campaign(year=2051)
    scored_packet(campaign, [make_expert(), make_expert()], [80, 90])
    return category_of(campaign)


def _category_url(suffix: str = ""):
    return lambda user: f"/scoring/results/categories/{_category(user).id}{suffix}"


def _panel_url(suffix: str):
    def url(user):
        from portal.scoring.models import Panel
        from tests.factories import get_session

        category = _category(user)
        panel = get_session().query(Panel).filter_by(campaign_id=category.campaign_id).first()
        return f"/scoring/results/panels/{panel.id}{suffix}"

    return url


SPECS = [
    Spec("scoring_results.index", VIEW),
    Spec("scoring_results.show", VIEW, url=_category_url()),
    Spec("scoring_results.move", MANAGE, method="POST", url=_category_url("/move")),
    Spec("scoring_results.confirm", MANAGE, method="POST", url=_category_url("/confirm")),
    Spec(
        "scoring_results.reopen",
        MANAGE,
        method="POST",
        url=_category_url("/reopen"),
        data={"reason": "复核"},
    ),
    Spec("scoring_results.list_docx", VIEW, url=_category_url("/list.docx")),
    Spec("scoring_results.list_csv", VIEW, url=_category_url("/list.csv")),
    Spec("scoring_results.panel_docx", VIEW, url=_panel_url("/scores.docx")),
    Spec("scoring_results.panel_csv", VIEW, url=_panel_url("/scores.csv")),
]
