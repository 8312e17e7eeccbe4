"""The individual Word form reads its photo from S3 storage (moto's server on loopback)."""

import pytest

from portal.applications.models import FileCategory
from portal.campaigns.models import CategoryKind
from portal.storage import S3Storage, get_storage
from tests.applications.helpers import make_complete
from tests.applications.test_form_photo import _photo_cell_pictures, _upload_photo, make_png
from tests.conftest import make_test_config

pytestmark = pytest.mark.s3


@pytest.fixture
def app_config(database_url, tmp_path, s3_server):
    return make_test_config(
        database_url,
        tmp_path / "instance",
        **s3_server.portal_settings(),
    )


def test_the_form_carries_a_photo_stored_on_s3_and_survives_its_loss(app, client, login, session):
    png = make_png()
    draft = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(draft.created_by)
    _upload_photo(client, draft, png)
    storage = get_storage(app)
    assert isinstance(storage, S3Storage)
    response = client.get(f"/applications/{draft.id}/form.docx")
    assert response.status_code == 200
    assert [p[0] for p in _photo_cell_pictures(response.data)] == [png]

    session.refresh(draft)
    stored = next(f.stored_file for f in draft.files if f.category is FileCategory.PHOTO)
    storage.delete(stored.key)
    response = client.get(f"/applications/{draft.id}/form.docx")
    assert response.status_code == 200
    assert _photo_cell_pictures(response.data) == []
