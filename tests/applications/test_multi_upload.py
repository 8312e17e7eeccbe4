"""Several files in one upload: each stored and checked as one file is, a refused one rolled
back alone with its reason, the others and the draft kept."""

from __future__ import annotations

import io

import sqlalchemy as sa

from portal.applications.files import add_files
from portal.applications.models import ApplicationFile, FileCategory
from portal.files.models import StoredFile
from tests.applications.helpers import PDF, PNG, make_draft


def _add(app, session, draft, *files) -> list:
    """The outcome of each of the files, uploaded together as evidence."""
    with app.test_request_context():
        outcomes = add_files(
            session,
            draft,
            draft.created_by,
            category=FileCategory.EVIDENCE,
            uploads=[(io.BytesIO(content), name) for name, content in files],
        )
        return [(o.filename, None if o.problem is None else str(o.problem)) for o in outcomes]


def test_each_file_is_checked_alone_and_a_bad_one_leaves_the_others(app, session):
    draft = make_draft()
    draft.team_name = "多文件班组"
    session.commit()
    before = (draft.team_name, draft.lock_version)
    problems = _add(app, session, draft, ("a.pdf", PDF), ("fake.pdf", b"only"), ("b.png", PNG))
    assert [(name, p is None) for name, p in problems] == [
        ("a.pdf", True),
        ("fake.pdf", False),
        ("b.png", True),
    ]
    assert "“fake.pdf”" in problems[1][1]
    session.expire_all()
    assert [f.stored_file.filename for f in draft.files] == ["a.pdf", "b.png"]
    assert (draft.team_name, draft.lock_version) == before
    stored = session.scalars(sa.select(StoredFile.filename).order_by(StoredFile.id)).all()
    assert "fake.pdf" not in stored


def test_files_past_the_campaigns_number_cap_are_refused_by_name(app, session):
    draft = make_draft()
    draft.campaign.max_files = 2
    session.commit()
    texts = [
        p for _name, p in _add(app, session, draft, ("1.pdf", PDF), ("2.pdf", PDF), ("3.pdf", PDF))
    ]
    assert texts[:2] == [None, None]
    assert texts[2].startswith("“3.pdf” is not uploaded: ")
    count = session.scalar(
        sa.select(sa.func.count()).where(ApplicationFile.application_id == draft.id)
    )
    assert count == 2


def test_the_page_takes_several_files_in_one_slot(client, login, session):
    draft = make_draft()
    login(draft.created_by)
    response = client.post(
        f"/applications/{draft.id}/files",
        data={
            "category": "evidence",
            "file": [(io.BytesIO(PDF), "one.pdf"), (io.BytesIO(b""), "empty.pdf")],
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert [f.stored_file.filename for f in draft.files] == ["one.pdf"]
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"}).text
    assert "“one.pdf” is uploaded." in page
    assert "The file “empty.pdf” is empty." in page
