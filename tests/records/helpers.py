"""Years of records to archive, purge and back up, built with the demo and the factories."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa

from portal.applications.models import Application, ApplicationFile, FileCategory
from portal.campaigns.models import Campaign
from portal.db import get_session
from portal.files.service import store_upload
from tests.notice.helpers import PDF

DEMO_TODAY = date(2026, 9, 1)


def campaign_of(year: int) -> Campaign:
    return get_session().scalar(sa.select(Campaign).where(Campaign.year == year))


def packets_of(campaign: Campaign) -> list[Application]:
    return list(
        get_session().scalars(
            sa.select(Application)
            .where(Application.campaign_id == campaign.id)
            .order_by(Application.id)
        )
    )


def attach_pdf(app: Application, body: bytes = PDF, name: str = "客户表扬信.pdf"):
    """A PDF stored as the packet's evidence and frozen in its latest version, as submitted."""
    session = get_session()
    stored = store_upload(
        session, io.BytesIO(body), filename=name, allowed_kinds={"pdf"}, max_bytes=20 * 2**20
    )
    session.add(
        ApplicationFile(application=app, stored_file=stored, category=FileCategory.EVIDENCE)
    )
    app.latest_version.stored_files.append(stored)
    session.flush()
    return stored
