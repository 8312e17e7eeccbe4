"""Customer survey: the office's settings and exports; the unit's link, code and poster (404 to
anyone but the packet's own unit); the public answer page, open to everyone."""

from tests.permission_specs import Spec, everyone, only


def _opened(user, submitted: bool = False):
    from portal.accounts.models import Role
    from portal.applications.service import submit_application
    from portal.db import get_session
    from tests.applications.helpers import make_complete
    from tests.survey.helpers import opened

    own = user if user is not None and user.role is Role.ENTERPRISE else None
    survey = opened(make_complete(own))
    if submitted:
        survey.application.category.min_surveys = 0
        submit_application(get_session(), survey.application_id, survey.application.created_by)
    return survey


def _settings_url(_user):
    from tests.applications.helpers import open_campaign

    return f"/survey/campaigns/{open_campaign().id}"


def _packet_url(suffix: str = "", submitted: bool = False):
    def url(user):
        return f"/survey/packets/{_opened(user, submitted).application_id}{suffix}"

    return url


def _answer_url(user):
    return f"/s/{_opened(user).token}"


OWN = only("enterprise", others="hidden")

SPECS = [
    Spec("survey.settings", only("office"), url=_settings_url),
    Spec(
        "survey.settings",
        only("office"),
        method="POST",
        url=_settings_url,
        name="survey-settings-post",
    ),
    Spec("survey.manage", OWN, url=_packet_url()),
    Spec(
        "survey.open_survey",
        OWN,
        method="POST",
        url=_packet_url("/open"),
        data={"opens": "08:00", "closes": "18:00"},
    ),
    Spec("survey.qr_png", OWN, url=_packet_url("/qr.png")),
    Spec("survey.qr_svg", OWN, url=_packet_url("/qr.svg")),
    Spec("survey.poster", OWN, url=_packet_url("/poster.docx")),
    Spec("survey.export_csv", only("office"), url=_packet_url("/answers.csv", submitted=True)),
    Spec("survey.export_docx", only("office"), url=_packet_url("/summary.docx", submitted=True)),
    Spec("survey.answer", everyone(), url=_answer_url),
    Spec("survey.answer", everyone(), method="POST", url=_answer_url, name="survey-answer-post"),
]
