"""Archive and retention with uploads in S3 (moto's server on loopback): files are streamed
out of the bucket into the archive, and purged files are deleted from the bucket."""

from __future__ import annotations

import os

import pytest

from portal.applications.models import ApplicationState
from portal.records.common import sha256_of
from portal.storage import S3Storage, get_storage
from tests.conftest import make_test_config
from tests.factories import make_application
from tests.honours.helpers import awarded
from tests.records.helpers import attach_pdf
from tests.storage.conftest import s3_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.s3
MB = 1024 * 1024


@pytest.fixture
def app_config(database_url, tmp_path, s3_server):  # noqa: F811
    return make_test_config(
        database_url,
        tmp_path / "instance",
        **s3_server.portal_settings("portal-records-test/"),
    )


def test_archive_streams_s3_files_and_retention_deletes_them(app, session, tmp_path):
    assert isinstance(get_storage(), S3Storage)
    campaign, honours = awarded(2, past=True)
    loser = make_application(ApplicationState.NOT_SELECTED, campaign=campaign)
    body = b"%PDF-1.7\n%" + os.urandom(3 * MB) + b"\n%%EOF\n"
    kept = attach_pdf(honours[0].application, body=body)
    purged = attach_pdf(loser, body=body[:-7] + b"x\n%%EOF\n")
    session.commit()
    runner = app.test_cli_runner()

    made = runner.invoke(args=["archive", str(campaign.year), "--output", str(tmp_path / "a")])
    assert made.exit_code == 0, made.output
    root = tmp_path / "a" / f"service-star-{campaign.year}-archive"
    copied = root / f"packets/{honours[0].application_id}/files/{kept.id}.pdf"
    assert copied.stat().st_size == len(body)
    assert sha256_of(copied) == kept.sha256
    assert runner.invoke(args=["archive", "verify", str(root)]).exit_code == 0

    applied = runner.invoke(args=["retention", "--apply", "--yes", "--on", "2029-01-01"])
    assert applied.exit_code == 0, applied.output
    assert not get_storage().exists(purged.key)
    assert get_storage().exists(kept.key)
