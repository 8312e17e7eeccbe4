"""Pages for application packets: the enterprise's drafts, files, submission and versions."""

from __future__ import annotations

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from portal.applications import files, outcome, personal, photo, rows, rules, service
from portal.applications.fields import FIELDS_BY_NAME, fields_for
from portal.applications.formdata import application_form_data, problem_label
from portal.applications.forms import (
    ActionForm,
    NewApplicationForm,
    UploadForm,
    WordImportForm,
    application_form_class,
)
from portal.applications.models import Application, ApplicationState, FileCategory
from portal.campaigns.models import CampaignStatus, CategoryKind
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.files.models import StoredFile
from portal.files.service import format_size, send_stored_file
from portal.i18n import localized_name
from portal.inputs import form_lock_version, query_int
from portal.labels import label
from portal.listing import labels_of

bp = Blueprint("applications", __name__, url_prefix="/applications")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        application_rules=rules,
        field_label=lambda name: FIELDS_BY_NAME[name].label,
        file_size=format_size,
        file_category_label=lambda value: label(FileCategory(value)),
        application_states=lambda: labels_of(ApplicationState),
        count_chinese_chars=rules.count_chinese_chars,
    )


def _load(app_id: int) -> Application:
    """The packet, or 404 for anyone who may not see it."""
    app = get_session().get(Application, app_id)
    if app is None or not rules.can_view_application(current_user, app):
        abort(404)
    return app


def _load_own(app_id: int) -> Application:
    app = _load(app_id)
    if not rules.is_own(current_user, app):
        abort(404)
    return app


@bp.route("/")
@login_required
def index():
    if not rules.can_list_applications(current_user):
        abort(403)
    session = get_session()
    found = rows.application_page(session, current_user.organization_id, query_int("page", 1))
    return render_template(
        "applications/index.html",
        applications=found.items,
        pages=found,
        campaign=current_campaign(session),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not rules.can_create_application(current_user):
        abort(403)
    session = get_session()
    campaign = current_campaign(session)
    if campaign is None or campaign.status is not CampaignStatus.OPEN:
        flash(_("No campaign is open for applications at the moment."), "error")
        return redirect(url_for("applications.index"))
    if not rules.applications_open(campaign):
        refused = service.ApplicationError("deadline_passed", when=campaign.application_deadline)
        flash(refused.message, "error")
        return redirect(url_for("applications.index"))
    form = NewApplicationForm()
    form.category_id.choices = [
        SelectChoice(str(c.id), localized_name(c)) for c in campaign.categories
    ]
    if form.validate_on_submit():
        category = next(c for c in campaign.categories if c.id == form.category_id.data)
        try:
            app = service.create_application(session, current_user, campaign, category)
        except service.ApplicationError as err:
            session.rollback()
            flash(err.message, "error")
        else:
            session.commit()
            flash(_("The draft is created. Fill in the form and upload the material."), "success")
            return redirect(url_for("applications.edit", app_id=app.id))
    return render_template("applications/new.html", form=form, campaign=campaign)


@bp.route("/<int:app_id>")
@login_required
def show(app_id: int):
    app = _load(app_id)
    own = rules.is_own(current_user, app)
    snap = service.make_snapshot(app) if own else None
    if not own:
        version = app.latest_version
        if version is None:  # others see submitted packets only, each with its version
            abort(404)
        return redirect(url_for("applications.version", app_id=app.id, number=version.number))
    return render_template(
        "applications/show.html",
        app=app,
        snap=snap,
        missing=service.completeness(app) if rules.can_edit_application(current_user, app) else [],
        upload_form=UploadForm(),
        word_form=WordImportForm(),
        action_form=ActionForm(),
        return_reason=service.return_reason(app),
        outcome=outcome.latest_outcome(get_session(), app),
        categories=list(FileCategory),
        allowed_kinds=files.allowed_kinds,
    )


def _populate(form, app: Application) -> None:
    """Fill the edit form from the saved draft (with one empty row to add to each table)."""
    for spec in fields_for(app.category.kind):
        value = getattr(app, spec.name)
        form[spec.name].data = (
            ""
            if value is None
            else (
                value.value
                if hasattr(value, "value")
                else value.isoformat()
                if hasattr(value, "isoformat")
                else str(value)
            )
        )
    form.lock_version.data = str(app.lock_version)
    form.narrative.data = app.narrative
    rows = [{**h, "remove": False} for h in app.honours or []] + [{}]
    for row in rows:
        form.honours.append_entry(row)
    if app.category.kind is CategoryKind.TEAM:
        for m in [*app.members, None]:
            form.members.append_entry(
                {}
                if m is None
                else {
                    "name": m.name,
                    "id_number": m.id_number or "",
                    "post": m.post,
                    "sex": "female" if m.female else "male",
                    "birth_date": "" if m.id_number else m.birth_date.isoformat(),
                    "years_in_post": "" if m.years_in_post is None else str(m.years_in_post),
                }
            )


def _rows(field_list) -> list[dict]:
    return [entry.data for entry in field_list if not entry.data.get("remove")]


@bp.route("/<int:app_id>/edit", methods=["GET", "POST"])
@login_required
def edit(app_id: int):
    app = _load_own(app_id)
    if not rules.can_edit_application(current_user, app):
        flash(service.ApplicationError("not_editable").message, "error")
        return redirect(url_for("applications.show", app_id=app.id))
    kind = app.category.kind
    form = application_form_class(kind)()
    if request.method == "GET":
        _populate(form, app)
    elif form.validate_on_submit():
        session = get_session()
        try:
            warnings = service.update_application(
                session,
                app,
                current_user,
                fields={spec.name: form[spec.name].data for spec in fields_for(kind)},
                members=_rows(form.members) if kind is CategoryKind.TEAM else None,
                honours=_rows(form.honours),
                narrative=form.narrative.data or "",
                lock_version=form_lock_version(form.lock_version.data),
            )
        except service.InvalidData as err:
            session.rollback()
            _attach_errors(form, err.problems)
            flash(err.message, "error")
        except service.ApplicationError as err:
            session.rollback()
            flash(err.message, "error")
            return redirect(url_for("applications.edit", app_id=app.id))
        else:
            session.commit()
            flash(_("The draft is saved."), "success")
            for key in warnings:
                flash(_narrative_warning(app, key), "info")
            return redirect(url_for("applications.edit", app_id=app.id))
    return render_template(
        "applications/edit.html",
        app=app,
        form=form,
        word_form=WordImportForm(),
        field_specs=fields_for(kind),
        sections=_sections(kind),
    )


def _sections(kind: CategoryKind) -> list[tuple[str, str]]:
    middle = ("team", _("Team")) if kind is CategoryKind.TEAM else ("person", _("Person"))
    return [
        ("unit", _("Unit")),
        middle,
        ("service", _("Service and results")),
        ("opinion", _("Opinion of the unit")),
    ]


def _narrative_warning(app: Application, key: str) -> str:
    cat = app.category
    count = rules.count_chinese_chars(app.narrative)
    if key == "narrative_short":
        return _(
            "The introductory material has %(count)s Chinese characters; at least %(min)s "
            "are needed before you can submit.",
            count=count,
            min=cat.narrative_min_chars,
        )
    return _(
        "The introductory material has %(count)s Chinese characters; at most %(max)s are "
        "allowed, please shorten it before you submit.",
        count=count,
        max=cat.narrative_max_chars,
    )


def _attach_errors(form, problems: dict) -> None:
    for key, message in problems.items():
        table, _sep, rest = key.partition("-")
        if table in ("members", "honours") and rest:
            index, _sep, column = rest.partition("-")
            entries = form[table].entries
            if index.isdigit() and int(index) < len(entries):
                entries[int(index)].form[column].errors = [message]
                continue
        if key in form:
            form[key].errors = [message]
        else:
            flash(f"{problem_label(key)}: {message}", "error")


@bp.route("/<int:app_id>/files", methods=["POST"])
@login_required
def upload(app_id: int):
    app = _load_own(app_id)
    form = UploadForm()
    # The page's script sends each file on its own to show its progress, and asks for JSON.
    wants_json = request.accept_mimetypes.best == "application/json"
    if not form.validate_on_submit():
        message = _("Choose the kind of material and a file to upload.")
        if wants_json:
            return jsonify(files=[], problem=message), 400
        flash(message, "error")
        return redirect(url_for("applications.show", app_id=app.id))
    outcomes = files.add_files(
        get_session(),
        app,
        current_user,
        category=FileCategory(form.category.data),
        uploads=[(f.stream, f.filename or "") for f in form.file.data if f],
    )
    for done in outcomes:
        if done.link is not None:
            flash(_("“%(name)s” is uploaded.", name=done.link.stored_file.filename), "success")
        elif done.problem is not None:
            flash(done.problem, "error")
    if wants_json:
        return jsonify(
            files=[
                {
                    "name": o.filename,
                    "uploaded": o.link is not None,
                    "problem": None if o.problem is None else str(o.problem),
                }
                for o in outcomes
            ]
        )
    return redirect(url_for("applications.show", app_id=app.id) + "#files")


@bp.route("/<int:app_id>/files/<int:file_id>/delete", methods=["POST"])
@login_required
def delete_file(app_id: int, file_id: int):
    app = _load_own(app_id)
    session = get_session()
    try:
        files.remove_file(session, app, current_user, file_id)
    except service.ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The file is removed from the draft."), "info")
    return redirect(url_for("applications.show", app_id=app.id) + "#files")


@bp.route("/<int:app_id>/files/<int:stored_file_id>")
@login_required
def download(app_id: int, stored_file_id: int):
    app = _load(app_id)
    if not rules.can_download_file(current_user, app, stored_file_id):
        abort(404)
    stored = get_session().get(StoredFile, stored_file_id)
    if stored is None:
        abort(404)
    return send_stored_file(stored)


@bp.route("/<int:app_id>/submit", methods=["POST"])
@login_required
def submit(app_id: int):
    app = _load_own(app_id)
    session = get_session()
    try:
        version = service.submit_application(session, app.id, current_user)
    except service.Incomplete as err:
        session.rollback()
        flash(err.message, "error")
        for item in err.missing:
            flash(str(item), "error")
    except service.ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The application is submitted as version %(n)s.", n=version.number), "success")
    return redirect(url_for("applications.show", app_id=app.id))


@bp.route("/<int:app_id>/withdraw", methods=["POST"])
@login_required
def withdraw(app_id: int):
    app = _load_own(app_id)
    session = get_session()
    try:
        service.withdraw_application(session, app.id, current_user)
    except service.ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The application is withdrawn and is a draft again."), "info")
    return redirect(url_for("applications.show", app_id=app.id))


@bp.route("/<int:app_id>/versions/<int:number>")
@login_required
def version(app_id: int, number: int):
    app = _load(app_id)
    ver = service.get_version(app, number)
    if ver is None:
        abort(404)
    full = _reveal(app, "page")
    return render_template(
        "applications/version.html",
        app=app,
        version=ver,
        snap=personal.packet_snapshot(ver.snapshot, full=full),
    )


def _reveal(app: Application, where: str) -> bool:
    """Whether the reader sees the packet's personal data in full; the office's look is kept."""
    session = get_session()
    full = personal.reveal_personal_data(session, current_user, app, where)
    session.commit()
    return full


def _docx_response(filename: str, mimetype: str, content: bytes):
    return send_file(
        BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )


@bp.route("/<int:app_id>/form.docx")
@login_required
def word_out(app_id: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.application_form import render_application_form

    app = _load_own(app_id)
    form = application_form_data(app)
    return _docx_response(*render_application_form(form, photo.draft_photo(app)))


@bp.route("/<int:app_id>/versions/<int:number>/form.docx")
@login_required
def version_word_out(app_id: int, number: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.application_form import render_application_form

    app = _load(app_id)
    ver = service.get_version(app, number)
    if ver is None:
        abort(404)
    form = personal.packet_form(ver.snapshot["form"], full=_reveal(app, "word_form"))
    return _docx_response(*render_application_form(form, photo.version_photo(app, ver)))


@bp.route("/<int:app_id>/word-in", methods=["POST"])
@login_required
def word_in(app_id: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.application_form_reader import parse_application_form
    from portal.documents.safety import DocumentRejected

    app = _load_own(app_id)
    form = WordImportForm()
    if not rules.can_edit_application(current_user, app):
        flash(service.ApplicationError("not_editable").message, "error")
        return redirect(url_for("applications.show", app_id=app.id))
    if not form.validate_on_submit():
        flash(_("Choose the filled-in Word form (.docx) to upload."), "error")
        return redirect(url_for("applications.edit", app_id=app.id))
    session = get_session()
    try:
        data = parse_application_form(form.file.data.stream)
    except DocumentRejected as err:
        flash(err.message, "error")
        return redirect(url_for("applications.edit", app_id=app.id))
    if data.get("category_kind") and data["category_kind"] != app.category.kind.value:
        flash(
            _(
                "This Word file is the form of another category; use the %(name)s form.",
                name=localized_name(app.category),
            ),
            "error",
        )
        return redirect(url_for("applications.edit", app_id=app.id))
    problems = service.apply_form_data(session, app, data, current_user)
    if problems:
        session.rollback()
        flash(_("Nothing was imported; the Word form has these problems:"), "error")
        for line in problems:
            flash(line, "error")
    else:
        session.commit()
        flash(_("The draft is filled in from the Word form. Please check every field."), "success")
    return redirect(url_for("applications.edit", app_id=app.id))
