"""`flask archive`: a finished year's records, files, audit entries and index, verifiable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from portal import audit
from portal.accounts.models import User
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.demo import seed_demo
from portal.honours.models import Honour
from portal.notice.models import Objection
from portal.records.common import sha256_of
from portal.storage import get_storage
from tests.honours.helpers import awarded, inspection_with_file
from tests.notice.helpers import PDF
from tests.records.helpers import DEMO_TODAY, attach_pdf, campaign_of, packets_of


@pytest.fixture
def demo(session):
    seed_demo(today=DEMO_TODAY)
    return campaign_of(2025)


def _archive(app, *args):
    return app.test_cli_runner().invoke(args=["archive", *args])


def _texts(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in folder.rglob("*.json"))


def test_archive_of_the_demo_year_holds_every_record_and_file(app, session, demo, tmp_path):
    packets = packets_of(demo)
    stored = attach_pdf(packets[0])
    honour = session.scalars(sa.select(Honour).order_by(Honour.id)).first()
    inspection = inspection_with_file(honour)
    session.commit()

    result = _archive(app, "2025", "--output", str(tmp_path))

    assert result.exit_code == 0, result.output
    root = tmp_path / "service-star-2025-archive"
    assert f"archive written to {root}: {len(packets)} packets, 2 files" in result.output
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    assert manifest["campaign"]["year"] == 2025 and manifest["finished"] is True
    assert manifest["problems"] == [] and manifest["contains_personal_data"] is True
    for relpath, entry in manifest["files"].items():
        assert sha256_of(root / relpath) == entry["sha256"], relpath
    packet_file = root / f"packets/{packets[0].id}/files/{stored.id}.pdf"
    assert packet_file.read_bytes() == PDF
    assert sha256_of(packet_file) == stored.sha256
    evidence = inspection.files[0].stored_file
    assert (root / f"honours/{honour.id}/inspections/{inspection.id}/{evidence.id}.png").is_file()
    assert sorted(p.name for p in (root / "packets").iterdir()) == sorted(
        str(a.id) for a in packets
    )
    version = json.loads((root / f"packets/{packets[0].id}/versions/1.json").read_text("utf-8"))
    assert [f["sha256"] for f in version["files"]] == [stored.sha256]
    honours = json.loads((root / "honours.json").read_text("utf-8"))
    assert [h["certificate_number"] for h in honours] == [
        h.certificate_number for h in session.scalars(sa.select(Honour).order_by(Honour.id))
    ]
    assert [h["revoked_at"] is not None for h in honours] == [False, False, True]
    assert len(honours[2]["revocation_proposals"][0]["votes"]) == 4
    objections = json.loads((root / "objections.json").read_text("utf-8"))
    assert len(objections) == session.scalar(sa.select(sa.func.count(Objection.id))) == 2
    assert len(json.loads((root / "signatures.json").read_text("utf-8"))) >= 4
    assert json.loads((root / "notice.json").read_text("utf-8"))["campaign_id"] == demo.id
    actions = {e["action"] for e in json.loads((root / "audit.json").read_text("utf-8"))}
    assert {"honour.confirm_final_list", "notice.open", "honour.record_inspection"} <= actions
    assert "objection.upheld" in actions or any(a.startswith("objection.") for a in actions)

    logged = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "campaign.archive")
    ).one()
    assert logged.object_type == "campaign" and logged.object_id == str(demo.id)
    assert logged.after["manifest_sha256"] == sha256_of(root / "manifest.json")
    assert logged.after["finished"] is True
    assert f"manifest SHA-256 {sha256_of(root / 'manifest.json')}" in result.output
    assert audit.verify(session).ok


def test_archive_holds_no_secret_and_its_index_says_it_holds_personal_data(
    app, session, demo, tmp_path
):
    result = _archive(app, str(demo.id), "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    root = tmp_path / "service-star-2025-archive"
    texts = _texts(root)
    for user in session.scalars(sa.select(User)):
        assert user.password_hash not in texts
    assert "password_hash" not in texts and "token_hash" not in texts

    document = Document(str(root / "index.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "2025年度用户满意服务明星评选档案目录" in body
    assert "含申报人、团队成员及异议人的个人信息" in body
    assert "档案不含任何账户密码、令牌或其他密钥" in body
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0][:3] == ["序号", "编号", "类别"]
    by_id = {r[1]: r for r in rows[1:]}
    packets = packets_of(demo)
    assert len(by_id) == len(packets)
    for app_row in packets:
        assert by_id[str(app_row.id)][4] == app_row.title
    awarded = [r for r in rows[1:] if r[7].startswith("获评")]
    assert len(awarded) == 3 and sum(r[7] == "获评（已撤销）" for r in awarded) == 1
    assert all(r[8].strip() for r in awarded)
    disqualified = [a for a in packets if a.state is ApplicationState.DISQUALIFIED]
    assert [by_id[str(a.id)][7] for a in disqualified] == ["取消资格"]
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_verify_passes_an_intact_archive_and_names_the_first_mismatch(app, session, demo, tmp_path):
    attach_pdf(packets_of(demo)[1])
    session.commit()
    assert _archive(app, "2025", "--output", str(tmp_path)).exit_code == 0
    root = tmp_path / "service-star-2025-archive"

    ok = _archive(app, "verify", str(root))
    assert ok.exit_code == 0, ok.output
    assert "archive intact" in ok.output
    assert f"manifest SHA-256 {sha256_of(root / 'manifest.json')}" in ok.output

    target = next((root / "packets").rglob("*.pdf"))
    target.write_bytes(target.read_bytes() + b"x")
    broken = _archive(app, "verify", str(root))
    assert broken.exit_code == 1
    assert f"{target.relative_to(root).as_posix()}: SHA-256 does not match" in broken.output

    target.write_bytes(PDF)
    (root / "notes.txt").write_text("added later")
    extra = _archive(app, "verify", str(root))
    assert extra.exit_code == 1
    assert "notes.txt: not listed in the manifest" in extra.output


def test_an_unfinished_year_is_refused_unless_forced(app, session, demo, tmp_path):
    tmp_path = tmp_path / "out"
    refused = _archive(app, "2026", "--output", str(tmp_path))
    assert refused.exit_code == 1
    assert "the public notice of 2026 has not been opened" in refused.output
    assert "--force" in refused.output
    assert not tmp_path.exists() or not any(tmp_path.iterdir())

    forced = _archive(app, "2026", "--output", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert _archive(app, "verify", str(tmp_path / "service-star-2026-archive")).exit_code == 0

    again = _archive(app, "2026", "--output", str(tmp_path), "--force")
    assert again.exit_code == 1
    assert "already exists and is not empty" in again.output


def test_bad_input_gets_a_clear_message_and_exit_code(app, session, tmp_path):
    unknown = _archive(app, "1999", "--output", str(tmp_path))
    assert unknown.exit_code == 1
    assert "no campaign has the year or id 1999" in unknown.output
    assert unknown.exception is None or isinstance(unknown.exception, SystemExit)

    word = _archive(app, "last-year")
    assert word.exit_code == 1
    assert "'last-year' is not a campaign year or id" in word.output

    missing = _archive(app, "verify", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.output

    empty = _archive(app, "verify", str(tmp_path))
    assert empty.exit_code == 1
    assert "has no manifest.json: it is not an archive or backup" in empty.output


def test_a_file_missing_from_storage_is_named_and_the_rest_still_verifies(app, session, tmp_path):
    campaign, honours = awarded(2, past=True)
    lost = attach_pdf(honours[0].application)
    kept = attach_pdf(honours[1].application, body=PDF + b"\n")
    session.commit()
    get_storage().delete(lost.key)

    result = _archive(app, str(campaign.year), "--output", str(tmp_path / "out"))

    assert result.exit_code == 1
    assert f"problem: file {lost.id} could not be read from storage" in result.output
    root = tmp_path / "out" / f"service-star-{campaign.year}-archive"
    assert (root / f"packets/{honours[1].application_id}/files/{kept.id}.pdf").is_file()
    assert not (root / f"packets/{honours[0].application_id}/files/{lost.id}.pdf").exists()
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    [problem] = manifest["problems"]
    assert problem.startswith(f"file {lost.id} could not be read from storage")
    assert _archive(app, "verify", str(root)).exit_code == 0
