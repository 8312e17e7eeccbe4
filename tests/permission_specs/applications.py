"""Application packets: the enterprise's own pages, and who may read a submitted packet."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only


def _is_enterprise(user) -> bool:
    return user is not None and user.role is Role.ENTERPRISE


def _draft(user):
    from tests.applications.helpers import make_draft

    return make_draft(user if _is_enterprise(user) else None)


def _submitted(user):
    """Submitted by the user's own unit, or by an enterprise in the district of the default
    district channel (so the default channel reviewer is the packet's channel)."""
    from tests.applications.helpers import make_submitted

    return make_submitted(user if _is_enterprise(user) else None)


def _draft_with_file(user):
    from portal.applications.models import FileCategory
    from tests.applications.helpers import attach

    app = _draft(user)
    return app, attach(app, FileCategory.EVIDENCE)


# Own enterprise only: everyone else must not learn the packet exists.
OWN = only("enterprise", others="hidden")
# A submitted packet: its enterprise, the office and the packet's channel.
READERS = only("enterprise", "channel_reviewer", "office", others="hidden")


def _show_draft(u):
    return f"/applications/{_draft(u).id}"


def _show_submitted(u):
    return f"/applications/{_submitted(u).id}"


def _delete_file(u):
    app, link = _draft_with_file(u)
    return f"/applications/{app.id}/files/{link.id}/delete"


def _download_draft_file(u):
    app, link = _draft_with_file(u)
    return f"/applications/{app.id}/files/{link.stored_file_id}"


def _download_submitted_file(u):
    app = _submitted(u)
    return f"/applications/{app.id}/files/{app.files[0].stored_file_id}"


SPECS = [
    Spec("applications.index", only("enterprise")),
    Spec("applications.new", only("enterprise")),
    Spec("applications.new", only("enterprise"), method="POST", name="new-post"),
    Spec("applications.show", OWN, url=_show_draft, name="show-draft"),
    Spec("applications.show", READERS, url=_show_submitted, name="show-submitted"),
    Spec("applications.edit", OWN, url=lambda u: f"/applications/{_draft(u).id}/edit"),
    Spec(
        "applications.edit",
        OWN,
        method="POST",
        url=lambda u: f"/applications/{_draft(u).id}/edit",
        name="edit-post",
    ),
    Spec(
        "applications.upload",
        OWN,
        method="POST",
        url=lambda u: f"/applications/{_draft(u).id}/files",
    ),
    Spec("applications.delete_file", OWN, method="POST", url=_delete_file),
    Spec("applications.download", OWN, url=_download_draft_file, name="download-draft"),
    Spec("applications.download", READERS, url=_download_submitted_file, name="download-sub"),
    Spec(
        "applications.submit",
        OWN,
        method="POST",
        url=lambda u: f"/applications/{_draft(u).id}/submit",
    ),
    Spec(
        "applications.withdraw",
        OWN,
        method="POST",
        url=lambda u: f"/applications/{_submitted(u).id}/withdraw",
    ),
    Spec(
        "applications.version",
        READERS,
        url=lambda u: f"/applications/{_submitted(u).id}/versions/1",
    ),
    Spec(
        "applications.version_word_out",
        READERS,
        url=lambda u: f"/applications/{_submitted(u).id}/versions/1/form.docx",
    ),
    Spec("applications.word_out", OWN, url=lambda u: f"/applications/{_draft(u).id}/form.docx"),
    Spec(
        "applications.word_in",
        OWN,
        method="POST",
        url=lambda u: f"/applications/{_draft(u).id}/word-in",
    ),
]
