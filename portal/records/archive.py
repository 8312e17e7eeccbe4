"""The archive of a finished year (年度评选档案): every record of the selection as JSON, the
stored files streamed out of storage, a Word index, and a manifest of SHA-256 sums.

The archive is a directory, not a ZIP: each file can be opened and checked on its own
(`sha256sum` or `flask archive verify`), a damaged sector costs one file rather than the whole
container, and it is written under a `.partial` name and renamed only once complete, so a
directory with the final name is never half written. Zip it for transport if needed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.applications.models import Application, ApplicationVersion
from portal.audit import AuditEntry
from portal.campaigns.models import Campaign
from portal.campaigns.service import campaign_snapshot
from portal.db import utcnow
from portal.files.models import StoredFile
from portal.honours.models import Honour, RevocationProposal
from portal.honours.service import final_list_confirmed
from portal.notice.models import ApprovalRound, Objection, PublicNotice
from portal.notice.service import get_notice
from portal.recommendations.models import Recommendation
from portal.records.archive_index import render_index
from portal.records.common import (
    MANIFEST,
    Manifest,
    RecordsError,
    require_empty_dir,
    row,
    sha256_of,
)
from portal.review.models import StageDecision
from portal.scoring.models import Assignment, Expert, Panel, Pledge, ScoreSheet
from portal.scoring.results.models import ListMove
from portal.storage import get_storage

FORMAT = "service-star-archive/1"
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
AUDIT_CHUNK = 500


@dataclass
class ArchiveResult:
    path: Path
    packets: int
    files: int
    audit_entries: int
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str = ""


def unfinished_reason(session: Session, campaign: Campaign, now: datetime | None = None):
    """Why the campaign's year is not finished yet (None when it is): its notice must have
    closed and its final list of honours been confirmed."""
    notice = get_notice(session, campaign)
    if notice is None:
        return f"the public notice of {campaign.year} has not been opened"
    if (now or utcnow()) < notice.closes_at:
        return f"the public notice of {campaign.year} is still open"
    if not final_list_confirmed(session, campaign):
        return f"the final list of honours of {campaign.year} has not been confirmed"
    return None


class _Writer:
    """Writes one campaign's records under a root and remembers what the audit must cover."""

    def __init__(self, session: Session, campaign: Campaign, root: Path):
        self.session = session
        self.campaign = campaign
        self.manifest = Manifest(root, FORMAT)
        self.storage = get_storage()
        self.refs: dict[str, set[str]] = {}
        self.user_ids: set[int] = set()
        self.problems: list[str] = []
        self.file_count = 0
        self.packets = 0
        self.audit_count = 0

    def ref(self, object_type: str, *ids) -> None:
        self.refs.setdefault(object_type, set()).update(str(i) for i in ids if i is not None)

    def rows(self, object_type: str, objs, exclude: tuple[str, ...] = ()) -> list[dict]:
        out = []
        for obj in objs:
            self.ref(object_type, obj.id)
            data = row(obj, exclude)
            self.user_ids.update(v for k, v in data.items() if k.endswith("_by_id") and v)
            self.user_ids.update(
                v for k, v in data.items() if k in ("user_id", "reviewer_id") and v
            )
            out.append(data)
        return out

    def copy_file(self, folder: str, stored: StoredFile) -> dict:
        """Stream one stored file into the archive; its entry says where it went."""
        self.ref("stored_file", stored.id)
        relpath = f"{folder}/{stored.id}.{EXTENSIONS.get(stored.kind, 'bin')}"
        entry = {**row(stored, ("key",)), "archived_as": relpath}
        if stored.backend != self.storage.backend:
            self.problems.append(f"file {stored.id} is on {stored.backend} storage, not here")
            return entry
        try:
            with self.storage.open(stored.key) as stream:
                digest = self.manifest.write_stream(relpath, stream)
        except Exception as exc:  # a missing file, a missing S3 object (botocore), a bad key
            (self.manifest.root / relpath).unlink(missing_ok=True)  # no unlisted half file
            self.problems.append(f"file {stored.id} could not be read from storage: {exc}")
            return entry
        self.file_count += 1
        if digest != stored.sha256:
            self.problems.append(f"file {stored.id} ({relpath}) does not match its stored SHA-256")
        return entry


def _campaign_data(w: _Writer) -> dict:
    c = w.campaign
    w.ref("campaign", c.id)
    w.ref("final_list", c.id)
    w.ref("campaign_category", *(cat.id for cat in c.categories))
    return campaign_snapshot(c)


def _packets(w: _Writer) -> list[Application]:
    return list(
        w.session.scalars(
            sa.select(Application)
            .where(Application.campaign_id == w.campaign.id)
            .order_by(Application.id)
        )
    )


def _write_packet(w: _Writer, app: Application) -> None:
    folder = f"packets/{app.id}"
    w.ref("application", app.id)
    w.user_ids.update(i for i in (app.created_by_id,) if i)
    copied: dict[int, dict] = {}

    def file_entry(stored: StoredFile) -> dict:
        if stored.id not in copied:
            copied[stored.id] = w.copy_file(f"{folder}/files", stored)
        return copied[stored.id]

    packet = row(app)
    packet["members"] = [row(m, ("application_id",)) for m in app.members]
    packet["files"] = [
        {"category": f.category.value, **file_entry(f.stored_file)} for f in app.files
    ]
    w.manifest.write_json(f"{folder}/packet.json", packet)
    versions = w.session.scalars(
        sa.select(ApplicationVersion)
        .where(ApplicationVersion.application_id == app.id)
        .order_by(ApplicationVersion.number)
    )
    for version in versions:
        w.ref("application_version", version.id)
        data = row(version)
        data["files"] = [file_entry(stored) for stored in version.stored_files]
        w.manifest.write_json(f"{folder}/versions/{version.number}.json", data)
    decisions = w.session.scalars(
        sa.select(StageDecision)
        .where(StageDecision.application_id == app.id)
        .order_by(StageDecision.id)
    )
    w.manifest.write_json(f"{folder}/decisions.json", w.rows("stage_decision", decisions))


def _by_campaign(w: _Writer, model, order=None) -> list:
    query = sa.select(model).where(model.campaign_id == w.campaign.id)
    return list(w.session.scalars(query.order_by(order if order is not None else model.id)))


def _write_selection(w: _Writer, app_ids: list[int]) -> None:
    """Recommendations, expert review, candidate lists and signatures."""
    recs = _by_campaign(w, Recommendation)
    data = w.rows("recommendation", recs)
    for rec, item in zip(recs, data, strict=True):
        item["entries"] = [row(e, ("recommendation_id",)) for e in rec.entries]
    w.manifest.write_json("recommendations.json", data)

    sheets = _by_campaign(w, ScoreSheet)
    sheet_rows = w.rows("score_sheet", sheets)
    for sheet, item in zip(sheets, sheet_rows, strict=True):
        item["items"] = [row(i, ("sheet_id",)) for i in sheet.items]
    experts = w.session.scalars(
        sa.select(Expert).where(
            Expert.id.in_(
                sa.select(Assignment.expert_id).where(Assignment.campaign_id == w.campaign.id)
            )
        )
    )
    w.manifest.write_json(
        "scoring.json",
        {
            "experts": [row(e, ("mobile", "email", "user_id")) for e in experts],
            "panels": w.rows("panel", _by_campaign(w, Panel)),
            "pledges": w.rows("pledge", _by_campaign(w, Pledge)),
            "assignments": w.rows("assignment", _by_campaign(w, Assignment)),
            "score_sheets": sheet_rows,
        },
    )
    moves = w.session.scalars(
        sa.select(ListMove).where(ListMove.application_id.in_(app_ids)).order_by(ListMove.id)
    )
    rounds = _by_campaign(w, ApprovalRound)
    w.manifest.write_json(
        "candidate_lists.json",
        {
            "approval_rounds": w.rows("approval_round", rounds),
            "list_moves": w.rows("list_move", moves),
        },
    )
    signatures = [s for rnd in rounds for s in rnd.signatures]
    w.manifest.write_json("signatures.json", w.rows("approval_signature", signatures))


def _write_notice(w: _Writer) -> None:
    notice = w.session.scalar(
        sa.select(PublicNotice).where(PublicNotice.campaign_id == w.campaign.id)
    )
    w.manifest.write_json("notice.json", w.rows("public_notice", [notice])[0] if notice else None)
    objections = []
    if notice is not None:
        objections = list(
            w.session.scalars(
                sa.select(Objection).where(Objection.notice_id == notice.id).order_by(Objection.id)
            )
        )
    data = w.rows("objection", objections)
    for objection, item in zip(objections, data, strict=True):
        item["files"] = [
            w.copy_file(f"objections/{objection.id}/files", f.stored_file) for f in objection.files
        ]
    w.manifest.write_json("objections.json", data)


def _write_honours(w: _Writer) -> list[Honour]:
    honours = _by_campaign(w, Honour)
    data = w.rows("honour", honours)
    for honour, item in zip(honours, data, strict=True):
        inspections = w.rows("honour_inspection", honour.inspections)
        for inspection, entry in zip(honour.inspections, inspections, strict=True):
            entry["files"] = [
                w.copy_file(f"honours/{honour.id}/inspections/{inspection.id}", f.stored_file)
                for f in inspection.files
            ]
        item["inspections"] = inspections
        item["complaints"] = w.rows("honour_complaint", honour.complaints)
        proposals = w.session.scalars(
            sa.select(RevocationProposal)
            .where(RevocationProposal.honour_id == honour.id)
            .order_by(RevocationProposal.id)
        ).all()
        item["revocation_proposals"] = w.rows("honour_revocation_proposal", proposals)
        for proposal, entry in zip(proposals, item["revocation_proposals"], strict=True):
            entry["votes"] = w.rows("honour_revocation_vote", proposal.votes)
    w.manifest.write_json("honours.json", data)
    return honours


def _audit_entries(w: _Writer) -> list[AuditEntry]:
    """The trail's entries about any record in the archive, in chain order."""
    found: dict[int, AuditEntry] = {}
    for object_type, ids in w.refs.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), AUDIT_CHUNK):
            chunk = ordered[start : start + AUDIT_CHUNK]
            for entry in w.session.scalars(
                sa.select(AuditEntry).where(
                    AuditEntry.object_type == object_type, AuditEntry.object_id.in_(chunk)
                )
            ):
                found[entry.id] = entry
    return [found[i] for i in sorted(found)]


def _users(w: _Writer) -> list[dict]:
    """Who acted on the records: name, role and organization; never a credential."""
    users = w.session.scalars(sa.select(User).where(User.id.in_(w.user_ids)).order_by(User.id))
    return [
        {
            "id": u.id,
            "name": u.name,
            "email": u.email,
            "role": u.role.value,
            "organization": u.organization.name,
        }
        for u in users
    ]


def write_archive(
    session: Session, campaign: Campaign, output: Path, *, force: bool = False
) -> ArchiveResult:
    """Write the archive of `campaign` to `output`/service-star-<year>-archive."""
    reason = unfinished_reason(session, campaign)
    if reason and not force:
        raise RecordsError(
            f"{reason}: the year is not finished, so its records are not final. "
            "Archive it after the final list, or pass --force to archive it as it stands."
        )
    final = output / f"service-star-{campaign.year}-archive"
    partial = output / f".service-star-{campaign.year}-archive.partial"
    require_empty_dir(final, "the archive")
    if partial.exists():
        raise RecordsError(f"{partial} is left from an interrupted run: remove it first")
    partial.mkdir(parents=True)
    try:
        w = _fill(session, campaign, partial, reason)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # never leave half an archive behind
        raise
    if final.exists():
        final.rmdir()
    os.replace(partial, final)
    manifest_sha256 = sha256_of(final / MANIFEST)
    audit.record(
        session,
        actor=None,
        action="campaign.archive",
        obj=campaign,
        after={
            "archive": final.name,
            "manifest_sha256": manifest_sha256,
            "files": len(w.manifest.files),
            "finished": reason is None,
        },
    )
    return ArchiveResult(final, w.packets, w.file_count, w.audit_count, w.problems, manifest_sha256)


def _fill(session: Session, campaign: Campaign, root: Path, reason: str | None) -> _Writer:
    w = _Writer(session, campaign, root)
    w.manifest.write_json("campaign.json", _campaign_data(w))
    packets = _packets(w)
    for app in packets:
        _write_packet(w, app)
    _write_selection(w, [a.id for a in packets])
    _write_notice(w)
    honours = _write_honours(w)
    entries = _audit_entries(w)
    w.manifest.write_json("audit.json", [{**row(e), "hash": e.hash} for e in entries])
    w.manifest.write_json("users.json", _users(w))
    name, _mimetype, body = render_index(campaign, packets, honours, unfinished=reason)
    w.manifest.write_bytes("index.docx", body)
    w.manifest.meta = {
        "campaign": {"id": campaign.id, "year": campaign.year, "theme": campaign.theme},
        "created_at": utcnow(),
        "finished": reason is None,
        "problems": w.problems,
        "contains_personal_data": True,
    }
    w.manifest.save()
    w.packets, w.audit_count = len(packets), len(entries)
    return w
