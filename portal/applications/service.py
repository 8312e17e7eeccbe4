"""Application operations: create, edit, submit, withdraw, return for revision.

Attaching and removing files is portal/applications/files.py.

Every change goes through one of these functions, each writing an audit entry; state changes
go through APPLICATION_WORKFLOW.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from portal import audit, signals
from portal.applications import rules
from portal.applications.errors import ApplicationError, Incomplete, InvalidData
from portal.applications.fields import FIELDS_BY_NAME, fields_for, parse_value
from portal.applications.formdata import (
    application_form_data,
    form_fields_from_data,
    problem_label,
)
from portal.applications.members import derive_figures, parse_honours, parse_members
from portal.applications.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    FileCategory,
    TeamMember,
)
from portal.applications.workflow import deadline_passed, fire
from portal.campaigns.models import Campaign, CampaignCategory, CampaignStatus, CategoryKind
from portal.db import utcnow
from portal.limits import NARRATIVE_SLACK, too_long


def _record_snapshot(app: Application) -> dict:
    data = audit.snapshot(app)
    data["members"] = [audit.snapshot(m) for m in app.members]
    return data


# --- creating and editing -------------------------------------------------------------------


def state_counts(session: Session, campaign: Campaign) -> list[tuple[ApplicationState, int]]:
    """How many of the campaign's packets are in each state, in the states' order."""
    counts = dict(
        session.execute(
            sa.select(Application.state, sa.func.count())
            .where(Application.campaign_id == campaign.id)
            .group_by(Application.state)
        ).all()
    )
    return [(state, counts[state]) for state in ApplicationState if counts.get(state)]


def create_application(
    session: Session,
    actor,
    campaign: Campaign,
    category: CampaignCategory,
    *,
    now: datetime | None = None,
) -> Application:
    """Start a draft packet in the open campaign; unit details come from the enterprise."""
    if not rules.can_create_application(actor):
        raise ApplicationError("not_allowed")
    if campaign.status is not CampaignStatus.OPEN:
        raise ApplicationError("campaign_not_open")
    if category.campaign_id != campaign.id:
        raise ApplicationError("not_allowed")
    if deadline_passed(campaign, now):
        raise ApplicationError("deadline_passed", when=campaign.application_deadline)
    org = actor.organization
    refusals = signals.answers(signals.packet_start, campaign, session=session, organization=org)
    if refusals:  # e.g. a unit barred for fabricated material in an earlier campaign
        raise ApplicationError(refusals[0])
    app = Application(
        campaign=campaign,
        category=category,
        organization=org,
        district_id=org.district_id,
        industry_id=org.industry_id,
        created_by=actor,
        unit_nature=org.unit_nature,
        unit_superior=org.parent.name if org.parent is not None else None,
        unit_address=org.address,
        unit_postcode=org.postcode,
        state=ApplicationState.DRAFT,
        honours=[],
        narrative="",
    )
    session.add(app)
    session.flush()
    derive_figures(app)
    audit.record(
        session, actor=actor, action="application.create", obj=app, after=audit.snapshot(app)
    )
    return app


def narrative_problem(app: Application, text: str | None = None) -> tuple[str, int] | None:
    """('short'|'long', count) when the narrative text is outside the category's limits."""
    text = app.narrative if text is None else text
    if not (text or "").strip():
        return None
    count = rules.count_chinese_chars(text)
    if count < app.category.narrative_min_chars:
        return "short", count
    if count > app.category.narrative_max_chars:
        return "long", count
    return None


def narrative_length_problem(app: Application, text: str):
    """The hard cap on the narrative's length in all characters (a draft may still be over
    its limit of Chinese characters, which only submission refuses)."""
    return too_long(text, app.category.narrative_max_chars * NARRATIVE_SLACK)


def summary_problem(app: Application) -> object | None:
    """The message when the summary of deeds has more Chinese characters than its category
    allows, counted as narratives are; None within the limit."""
    count = rules.count_chinese_chars(app.deeds_summary)
    limit = app.category.summary_max_chars
    if count <= limit:
        return None
    return _l(
        "“%(field)s” has %(count)s Chinese characters; at most %(max)s are allowed.",
        field=FIELDS_BY_NAME["deeds_summary"].label,
        count=count,
        max=limit,
    )


def update_application(
    session: Session,
    app: Application,
    actor,
    *,
    fields: dict[str, str],
    members: list[dict] | None = None,
    honours: list[dict] | None = None,
    narrative: str | None = None,
    lock_version: int | None = None,
    today: date | None = None,
) -> list[str]:
    """Save the draft's form: all or nothing. Raises InvalidData listing every field problem,
    ApplicationError('stale') when someone saved since the form was loaded.

    Only the fields present in `fields` change. Returns warning keys (narrative limits).
    """
    rules.require_editable(actor, app)
    if lock_version is not None and lock_version != app.lock_version:
        raise ApplicationError("stale")
    today = today or date.today()
    kind = app.category.kind
    problems: dict[str, object] = {}
    values: dict[str, object] = {}
    allowed = {f.name for f in fields_for(kind)}
    for name, raw in fields.items():
        if name not in allowed:
            continue
        value, problem = parse_value(
            FIELDS_BY_NAME[name], raw, today=today, reference=app.campaign.reference_date
        )
        if problem:
            problems[name] = problem
        else:
            values[name] = value
    member_rows: list[dict] | None = None
    if members is not None and kind is CategoryKind.TEAM:
        member_rows, member_problems = parse_members(members, today, app.campaign.reference_date)
        problems.update(member_problems)
    honour_rows: list[dict] | None = None
    if honours is not None:
        honour_rows, honour_problems = parse_honours(honours, today)
        problems.update(honour_problems)
    if narrative is not None and (problem := narrative_length_problem(app, narrative)):
        problems["narrative"] = problem
    if problems:
        raise InvalidData(problems)

    before = _record_snapshot(app)
    for name, value in values.items():
        setattr(app, name, value)
    if member_rows is not None:
        app.members = [TeamMember(position=i, **row) for i, row in enumerate(member_rows)]
    if honour_rows is not None:
        app.honours = honour_rows
    if narrative is not None:
        app.narrative = narrative.replace("\r\n", "\n")
    derive_figures(app)
    # Every save bumps lock_version, even one that changes only member rows.
    app.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError as err:
        raise ApplicationError("stale") from err
    audit.record(
        session,
        actor=actor,
        action="application.update",
        obj=app,
        before=before,
        after=_record_snapshot(app),
    )
    problem = narrative_problem(app)
    return [f"narrative_{problem[0]}"] if problem else []


# --- completeness and the workflow ----------------------------------------------------------

# The customer evaluation surveys are the survey package's to ask for: scanned, or answered
# online where the campaign collects them so (portal/survey/receivers.py).
REQUIRED_FILES = (
    (FileCategory.SEALED_FORM, _l("Upload the scan of the sealed application form.")),
    (FileCategory.EVIDENCE, _l("Upload at least one evidentiary document.")),
)


def completeness(app: Application) -> list[object]:
    """Everything still missing before the packet can be submitted, as messages, all at once."""
    missing: list[object] = []
    kind = app.category.kind
    for spec in fields_for(kind):
        value = getattr(app, spec.name)
        if spec.required and (value is None or (isinstance(value, str) and not value.strip())):
            missing.append(_l("Fill in “%(field)s”.", field=spec.label))
    if kind is CategoryKind.TEAM and not app.members:
        missing.append(_l("List the team's members."))
    have = {f.category for f in app.files}
    problem = narrative_problem(app)
    if problem:
        key, count = problem
        cat = app.category
        if key == "short":
            missing.append(
                _l(
                    "The introductory material has %(count)s Chinese characters; "
                    "at least %(min)s are needed.",
                    count=count,
                    min=cat.narrative_min_chars,
                )
            )
        else:
            missing.append(
                _l(
                    "The introductory material has %(count)s Chinese characters; "
                    "at most %(max)s are allowed.",
                    count=count,
                    max=cat.narrative_max_chars,
                )
            )
    elif not app.narrative.strip() and FileCategory.INTRODUCTION not in have:
        missing.append(_l("Write the introductory material, or upload it as a file."))
    if summary := summary_problem(app):
        missing.append(summary)
    for category, message in REQUIRED_FILES:
        if category not in have:
            missing.append(message)
    session = object_session(app)
    for messages in signals.answers(signals.packet_missing, app, session=session):
        missing.extend(messages)
    return missing


def load_for_update(session: Session, application_id: int) -> Application:
    """The packet, locked for this transaction and re-read, so a state check cannot be stale."""
    app = session.execute(
        sa.select(Application)
        .where(Application.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if app is None:
        raise ApplicationError("not_found")
    return app


def make_snapshot(app: Application) -> dict:
    """What reviewers read of a version: the form as the Word export has it, the typed columns,
    members, narrative and the files with their identity."""
    fields = audit.snapshot(app, exclude=("lock_version",))
    return {
        "form": application_form_data(app),
        "fields": fields,
        "category": {
            "kind": app.category.kind.value,
            "name_zh": app.category.name_zh,
            "name_en": app.category.name_en,
        },
        "organization": {
            "id": app.organization_id,
            "name": app.organization.name,
            "credit_code": app.organization.credit_code,
        },
        "members": [audit.snapshot(m, exclude=("id", "application_id")) for m in app.members],
        "narrative": app.narrative,
        "narrative_chars": rules.count_chinese_chars(app.narrative),
        "files": [
            {
                "stored_file_id": f.stored_file.id,
                "category": f.category.value,
                "filename": f.stored_file.filename,
                "size": f.stored_file.size,
                "sha256": f.stored_file.sha256,
                "kind": f.stored_file.kind,
            }
            for f in app.files
        ],
    }


def submit_application(
    session: Session, application_id: int, actor, *, now: datetime | None = None
) -> ApplicationVersion:
    """Submit (or resubmit) the packet once: lock the row, re-check its state, check it is
    complete and before the deadline, then freeze the next version.

    A packet returned for completion by the formal check goes back to the formal check
    (not to the channel chain), before its due date rather than the application deadline.
    A second request for the same packet finds it submitted and gets 'already_submitted'.
    """
    app = load_for_update(session, application_id)
    if not rules.is_own(actor, app):
        raise ApplicationError("not_allowed")
    if app.state is ApplicationState.SUBMITTED:
        raise ApplicationError("already_submitted")
    if app.state not in (
        ApplicationState.DRAFT,
        ApplicationState.RETURNED,
        ApplicationState.INCOMPLETE,
    ):
        raise ApplicationError("not_editable")
    now = now or utcnow()
    completing = app.state is ApplicationState.INCOMPLETE
    if not completing and deadline_passed(app.campaign, now):
        raise ApplicationError("deadline_passed", when=app.campaign.application_deadline)
    missing = completeness(app)
    if missing:
        raise Incomplete(missing)
    number = (
        session.scalar(
            sa.select(sa.func.max(ApplicationVersion.number)).where(
                ApplicationVersion.application_id == app.id
            )
        )
        or 0
    ) + 1
    app.submitted_at = now
    target = ApplicationState.RECOMMENDED if completing else ApplicationState.SUBMITTED
    fire(session, app, target, actor, extra={"version": number}, now=now)
    # The review chain places the packet; the version frozen below records that.
    signals.packet_submitted.send(app, session=session, now=now, completing=completing)
    version = ApplicationVersion(
        application=app,
        number=number,
        submitted_at=now,
        submitted_by=actor,
        snapshot=make_snapshot(app),
        stored_files=[f.stored_file for f in app.files],
    )
    session.add(version)
    session.flush()
    signals.version_frozen.send(version, session=session, now=now)  # 雷同材料 check among others
    return version


def withdraw_application(
    session: Session, application_id: int, actor, *, now: datetime | None = None
) -> Application:
    """Take a submitted packet back to draft before any review stage has acted."""
    app = load_for_update(session, application_id)
    if not rules.is_own(actor, app):
        raise ApplicationError("not_allowed")
    if app.state is not ApplicationState.SUBMITTED:
        raise ApplicationError("not_submitted")
    fire(session, app, ApplicationState.DRAFT, actor)
    version = app.latest_version
    if version is not None:
        version.withdrawn_at = now or utcnow()
    session.flush()
    return app


def return_for_revision(
    session: Session, application_id: int, actor, reason: str, *, now: datetime | None = None
) -> Application:
    """A channel reviewer sends the packet back; the enterprise sees the reason."""
    app = load_for_update(session, application_id)
    if app.state is not ApplicationState.SUBMITTED:
        raise ApplicationError("not_submitted")
    if not reason.strip():
        raise ApplicationError("reason_required")
    fire(session, app, ApplicationState.RETURNED, actor, reason=reason.strip())
    version = app.latest_version
    if version is None:  # a submitted packet has its frozen version
        raise RuntimeError(f"application {app.id} is submitted without a version")
    version.returned_at = now or utcnow()
    version.return_reason = reason.strip()
    session.flush()
    return app


def return_reason(app: Application) -> str | None:
    if app.state is ApplicationState.RETURNED and app.latest_version is not None:
        return app.latest_version.return_reason
    return None


def visible_versions(app: Application) -> list[ApplicationVersion]:
    return list(app.versions)


def get_version(app: Application, number: int) -> ApplicationVersion | None:
    return next((v for v in app.versions if v.number == number), None)


def apply_form_data(session: Session, application: Application, data: dict, actor) -> list[str]:
    """Prefill the draft from a filled-in form. Returns the problems found, as readable lines;
    when there are any, nothing changes."""
    kind = application.category.kind
    # A prefill: what the Word form leaves empty keeps its value in the draft.
    fields = {k: v for k, v in form_fields_from_data(data, kind).items() if v.strip()}
    members = None
    if kind is CategoryKind.TEAM and data.get("members"):
        # Sex and birth date count only for members without an ID number.
        members = [dict(m) for m in data["members"]]
    honours = list(data.get("honours") or []) or None
    try:
        update_application(
            session,
            application,
            actor,
            fields=fields,
            members=members,
            honours=honours,
            lock_version=application.lock_version,
        )
    except InvalidData as err:
        return [f"{problem_label(key)}: {msg}" for key, msg in err.problems.items()]
    return []
