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
    [problem] = manifest["problems"]
    assert problem.startswith(f"file {lost.id} could not be read from storage")
    assert _archive(app, "verify", str(root)).exit_code == 0
