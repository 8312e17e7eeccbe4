"""Customer survey: the office's settings and exports; the unit's link, code and poster (404 to
anyone but the packet's own unit); the public answer page, open to everyone; the count of a
scanned paper batch, by whoever decides on the packet now (403 to others who may read it, 404
to those who may not)."""

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


def _batch_url(recommended: bool):
    """A Huangpu packet whose scanned batch stands in for answers, at the trade union's stage
    (the default channel reviewer's) or at the office's formal check."""

    def url(user):
        from portal.applications.models import ApplicationState, FileCategory
        from portal.applications.service import submit_application
        from portal.db import get_session
        from tests.applications.helpers import make_complete
        from tests.survey.helpers import with_settings

        application = make_complete()
        with_settings(application, paper_batch_answers=30)
        submit_application(get_session(), application.id, application.created_by)
        if recommended:
            application.state = ApplicationState.RECOMMENDED
            get_session().flush()
        scan = next(f for f in application.files if f.category is FileCategory.SURVEY)
        return f"/survey/packets/{application.id}/batches/{scan.id}/count"

    return url


OWN = only("enterprise", others="hidden")
# Those who may read the packet but do not decide on it now are refused; others must not learn
# that it exists.
AT_CHANNEL = {**only("channel_reviewer", others="hidden"), "office": "forbidden"}
AT_FORMAL_CHECK = {**only("office", others="hidden"), "channel_reviewer": "forbidden"}

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
    Spec(
        "survey.batches.count",
        AT_CHANNEL,
        method="POST",
        url=_batch_url(recommended=False),
        data={"counted": "12"},
        name="survey-batch-count-at-channel",
    ),
    Spec(
        "survey.batches.count",
        AT_FORMAL_CHECK,
        method="POST",
        url=_batch_url(recommended=True),
        data={"counted": "12"},
        name="survey-batch-count-at-formal-check",
    ),
]
