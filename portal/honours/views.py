"""Honour pages: the public roll, revoked list and verification; the office's management."""

from __future__ import annotations

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from portal import signals
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import get_or_404, get_session
from portal.files.service import UploadRejected, format_size, send_stored_file
from portal.honours import certificates, revocation, rows, rules, service
from portal.honours.errors import HonourError
from portal.honours.forms import (
    ActionForm,
    ComplaintForm,
    DecisionForm,
    InspectionForm,
    ProposalForm,
    WithdrawForm,
)
from portal.honours.models import (
    Honour,
    HonourStatus,
    InspectionFile,
    ProposalState,
    RevocationProposal,
)
from portal.inputs import query_int
from portal.listing import labels_of, url_pattern

bp = Blueprint("honours", __name__, url_prefix="/honours")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        honour_rules=rules,
        honour_holder_flags=lambda app: rules.holder_flags(get_session(), app),
        honour_today=rules.shanghai_today,
        file_size=format_size,
    )


def _public(html: str, status: int = 200):
    """Anonymous visitors may be served from a shared cache; a logged-in page is private."""
    response = make_response(html, status)
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = "public, max-age=60"
    response.vary.add("Cookie")
    return response


def _verify_url(code: str) -> str:
    return url_for("honours.verify", code=code, _external=True)


# --- public pages --------------------------------------------------------------------------


@bp.route("")
def roll():
    session = get_session()
    kind = request.args.get("kind", "")
    filters = rows.RollFilters(
        year=query_int("year", None, 1, 9999),
        kind=CategoryKind(kind) if kind in CategoryKind._value2member_map_ else None,
        industry=request.args.get("industry") or None,
        district=request.args.get("district") or None,
    )
    page = query_int("page", 1)
    result = rows.honour_roll(session, filters, page)
    html = render_template(
        "honours/roll.html",
        honours=result.items,
        more=result.has_next,
        page=result.page,
        filters=filters,
        args={k: v for k, v in request.args.items() if k != "page"},
        choices=rows.roll_choices(session),
    )
    return _public(html)


@bp.route("/revoked")
def revoked():
    html = render_template("honours/revoked.html", honours=service.revoked_honours(get_session()))
    return _public(html)


def _past_terms(honour: Honour) -> list:
    """Terms a re-evaluation renewed, oldest first (asked of the packages that renew titles)."""
    session = get_session()
    return [
        t
        for terms in signals.answers(signals.honour_past_terms, honour, session=session)
        for t in terms
    ]


def _by_retired_code(code: str) -> Honour | None:
    """The honour whose earlier certificate carried this code, before a renewal replaced it."""
    normalized = rules.normalize_code(code)
    if normalized is None:
        return None
    found = signals.answers(signals.retired_code, normalized, session=get_session())
    return found[0] if found else None


@bp.route("/verify")
def verify():
    code = request.args.get("code", "").strip()
    honour = service.find_by_code(get_session(), code) if code else None
    retired = False
    if code and honour is None:
        honour = _by_retired_code(code)
        retired = honour is not None
    status = 404 if code and honour is None else 200
    html = render_template(
        "honours/verify.html",
        code=code,
        honour=honour,
        retired=retired,
        past_terms=_past_terms(honour) if honour else [],
        status=honour.status_on(rules.shanghai_today()) if honour else None,
    )
    return _public(html, status)


# --- the office and the organizers ---------------------------------------------------------


def _require(predicate) -> None:
    if not predicate(current_user):
        abort(403)


def _load(honour_id: int) -> Honour:
    honour = service.load_honour(get_session(), honour_id)
    if honour is None:
        abort(404)
    return honour


def _final_list_refusal(session, campaign) -> str | None:
    """Why the page offers no confirmation button for the campaign, or None."""
    refusal = service.final_list_refusal(session, campaign)
    return refusal.message if refusal else None


@bp.route("/manage")
@login_required
def manage():
    _require(rules.can_view_honour_records)
    session = get_session()
    raw_status = request.args.get("status", "")
    status = HonourStatus(raw_status) if raw_status in HonourStatus._value2member_map_ else None
    year = query_int("year", None, 1, 9999)
    expiring = query_int("expiring", None, 1, 9999)
    today = rules.shanghai_today()
    result = rows.managed_honours(session, query_int("page", 1), status, year, expiring, today)
    campaigns = service.final_list_campaigns(session)
    return render_template(
        "honours/manage.html",
        honours=result.items,
        total=result.total,
        page=result.page,
        pages=result.pages,
        status=status,
        year=year,
        expiring=expiring,
        awaiting=[(c, n, _final_list_refusal(session, c)) for c, n in campaigns.awaiting],
        proposals=revocation.pending_proposals(session),
        statuses=list(HonourStatus),
        status_labels=labels_of(HonourStatus),
        show_url=url_pattern("honours.show", "honour_id"),
        certificate_url=url_pattern("honours.certificate", "honour_id"),
        certificate_campaigns=campaigns.honoured,
        action_form=ActionForm(),
    )


@bp.route("/campaigns/<int:campaign_id>/final-list", methods=["POST"])
@login_required
def confirm_final_list(campaign_id: int):
    _require(rules.can_manage_honours)
    session = get_session()
    campaign = get_or_404(Campaign, campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        honours = service.confirm_final_list(session, campaign, current_user)
    except HonourError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The final list is confirmed: %(n)s honours awarded.", n=len(honours)), "success")
    return redirect(url_for("honours.manage"))


@bp.route("/campaigns/<int:campaign_id>/certificates")
@login_required
def campaign_certificates(campaign_id: int):
    _require(rules.can_view_honour_records)
    session = get_session()
    campaign = get_or_404(Campaign, campaign_id)
    items = certificates.campaign_certificates(session, campaign, _verify_url)
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.honours.documents.certificate import render_certificates

    filename, mimetype, data = render_certificates(campaign.year, items)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)


@bp.route("/<int:honour_id>")
@login_required
def show(honour_id: int):
    _require(rules.can_view_honour_records)
    honour = _load(honour_id)
    session = get_session()
    proposal = revocation.open_proposal(honour)
    voted = proposal is None or any(
        v.organization_id == current_user.organization_id for v in proposal.votes
    )
    return render_template(
        "honours/show.html",
        honour=honour,
        status=honour.status_on(rules.shanghai_today()),
        past_terms=_past_terms(honour),
        proposal=proposal,
        can_vote=not voted and revocation.is_organizer_approver(session, current_user),
        inspection_form=InspectionForm(),
        complaint_form=ComplaintForm(),
        proposal_form=ProposalForm(),
        decision_form=DecisionForm(),
        withdraw_form=WithdrawForm(),
        ProposalState=ProposalState,
    )


@bp.route("/<int:honour_id>/certificate")
@login_required
def certificate(honour_id: int):
    session = get_session()
    honour = session.get(Honour, honour_id)
    if honour is None or not rules.can_download_certificate(current_user, honour):
        abort(404)
    data = certificates.certificate_data(honour, certificates.organizer_names(session), _verify_url)
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.honours.documents.certificate import render_certificate

    filename, mimetype, body = render_certificate(data)
    return send_file(BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename)


def _done(honour: Honour, action, success: str):
    """Run one service call, commit or roll back, flash, and go back to the honour."""
    session = get_session()
    try:
        action()
        session.commit()
    except HonourError as err:
        session.rollback()
        flash(err.message, "error")
    except UploadRejected as err:
        session.rollback()
        flash(err.message, "error")
    except StaleDataError:
        session.rollback()
        flash(HonourError("stale").message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("honours.show", honour_id=honour.id))


def _form_errors(form) -> None:
    for field_errors in form.errors.values():
        for error in field_errors:
            flash(str(error), "error")


@bp.route("/<int:honour_id>/inspections", methods=["POST"])
@login_required
def add_inspection(honour_id: int):
    _require(rules.can_manage_honours)
    honour = _load(honour_id)
    form = InspectionForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("honours.show", honour_id=honour.id))
    data = service.InspectionData(
        inspected_on=form.inspected_on.data,
        unannounced=form.unannounced.data == "1",
        inspector=form.inspector.data,
        findings=form.findings.data,
        score=form.score.data,
    )
    uploads = [(f.stream, f.filename) for f in request.files.getlist("files") if f.filename]
    return _done(
        honour,
        lambda: service.record_inspection(get_session(), honour, current_user, data, uploads),
        _("The inspection is recorded."),
    )


@bp.route("/<int:honour_id>/inspections/files/<int:file_id>")
@login_required
def inspection_file(honour_id: int, file_id: int):
    _require(rules.can_view_honour_records)
    link = get_session().get(InspectionFile, file_id)
    if link is None or link.inspection.honour_id != honour_id:
        abort(404)
    return send_stored_file(link.stored_file)


@bp.route("/<int:honour_id>/complaints", methods=["POST"])
@login_required
def add_complaint(honour_id: int):
    _require(rules.can_manage_honours)
    honour = _load(honour_id)
    form = ComplaintForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("honours.show", honour_id=honour.id))
    data = service.ComplaintData(
        received_on=form.received_on.data,
        source=form.source.data,
        content=form.content.data,
        verified=form.verified.data,
    )
    return _done(
        honour,
        lambda: service.record_complaint(get_session(), honour, current_user, data),
        _("The complaint is recorded."),
    )


@bp.route("/<int:honour_id>/proposals", methods=["POST"])
@login_required
def propose(honour_id: int):
    _require(rules.can_manage_honours)
    honour = _load(honour_id)
    form = ProposalForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("honours.show", honour_id=honour.id))
    return _done(
        honour,
        lambda: revocation.propose_revocation(
            get_session(), honour, current_user, form.reason.data, form.breach_on.data
        ),
        _("The revocation is proposed; the four organizers now decide on it."),
    )


def _load_proposal(proposal_id: int) -> RevocationProposal:
    proposal = get_or_404(RevocationProposal, proposal_id)
    return proposal


@bp.route("/proposals/<int:proposal_id>/decision", methods=["POST"])
@login_required
def decide(proposal_id: int):
    _require(rules.can_decide_revocation)
    proposal = _load_proposal(proposal_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("honours.show", honour_id=proposal.honour_id))
    approve = form.decision.data == "approve"
    return _done(
        proposal.honour,
        lambda: revocation.decide_revocation(
            get_session(), proposal, current_user, approve, form.reason.data or ""
        ),
        _("Your decision is recorded."),
    )


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id: int):
    _require(rules.can_manage_honours)
    proposal = _load_proposal(proposal_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("honours.show", honour_id=proposal.honour_id))
    return _done(
        proposal.honour,
        lambda: revocation.withdraw_proposal(
            get_session(), proposal, current_user, form.reason.data
        ),
        _("The proposal is withdrawn."),
    )
