"""The survey answers two signals: a packet under its minimum of answers is not complete, and a
submitted version keeps the survey's figures as they stood."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import signals
from portal.applications.models import FileCategory
from portal.survey import figures, service
from portal.survey.models import FrozenFigures


def subscribe() -> None:
    signals.packet_missing.connect(missing_answers)
    signals.version_frozen.connect(freeze_figures)


SCAN_MISSING = _l("Upload the customer evaluation surveys.")


def missing_answers(application, *, session, **_kw) -> list:
    """What the packet still lacks of its customers' evaluation: where the campaign has an
    online survey, how many answers it still needs (the scanned paper batch is then only a
    stand-in for some, where the office allows it); elsewhere the scanned surveys."""
    settings = service.settings_of(session, application.campaign_id)
    if settings is None:
        scanned = any(f.category is FileCategory.SURVEY for f in application.files)
        return [] if scanned else [SCAN_MISSING]
    needed = service.minimum_answers(settings, application)
    have = figures.count_answers(session, service.survey_of(session, application))
    if have >= needed:
        return []
    if have == 0 and service.survey_of(session, application) is None:
        return [
            _l(
                "Open the customer survey and collect at least %(needed)s answers.",
                needed=needed,
            )
        ]
    return [
        _l(
            "The customer survey has %(have)s answers; %(more)s more are needed "
            "(at least %(needed)s).",
            have=have,
            more=needed - have,
            needed=needed,
        )
    ]


def freeze_figures(version, *, session, **_kw) -> None:
    """Keep the survey's figures with the version being submitted."""
    application = version.application
    settings = service.settings_of(session, application.campaign_id)
    if settings is None:
        return
    survey = service.survey_of(session, application)
    session.add(
        FrozenFigures(version_id=version.id, figures=figures.compute(session, survey, settings))
    )
