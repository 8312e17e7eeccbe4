"""The JSON API: only a bearer token authenticates, so a browser session counts for nothing.

The matrix logs in through the web session, which the API ignores: every route but the OpenAPI
document answers 401 ('login') for every role. Per-role behaviour with real tokens is tested in
tests/api/.
"""

from tests.factories import make_campaign, make_org
from tests.permission_specs import Spec, everyone


def _organization_url(user):
    return f"/api/v1/organizations/{make_org().id}"


def _campaign_url(user):
    return f"/api/v1/campaigns/{make_campaign(year=2031).id}"


def _draft():
    from tests.applications.helpers import make_draft

    return make_draft()


def _application_url(user):
    return f"/api/v1/applications/{_draft().id}"


def _files_url(user):
    return f"/api/v1/applications/{_draft().id}/files?category=evidence&filename=a.pdf"


def _file_url(user):
    from portal.applications.models import FileCategory
    from tests.applications.helpers import attach

    app = _draft()
    return (
        f"/api/v1/applications/{app.id}/files/{attach(app, FileCategory.EVIDENCE).stored_file_id}"
    )


def _action_url(action: str):
    return lambda user: f"/api/v1/applications/{_draft().id}/{action}"


def _version_url(user):
    from tests.applications.helpers import make_submitted

    return f"/api/v1/applications/{make_submitted().id}/versions/1"


SPECS = [
    Spec("api.openapi_document", everyone("ok")),
    Spec("api.me", everyone("login")),
    Spec("api.organizations", everyone("login")),
    Spec("api.organization", everyone("login"), url=_organization_url),
    Spec("api.campaigns", everyone("login")),
    Spec("api.campaign", everyone("login"), url=_campaign_url),
    Spec("api.applications", everyone("login")),
    Spec("api.create_application", everyone("login"), method="POST"),
    Spec("api.application", everyone("login"), url=_application_url),
    Spec("api.update_application", everyone("login"), method="PATCH", url=_application_url),
    Spec("api.upload_file", everyone("login"), method="PUT", url=_files_url),
    Spec(
        "api.upload_file", everyone("login"), method="POST", url=_files_url, name="api-upload-post"
    ),
    Spec("api.application_file", everyone("login"), url=_file_url),
    Spec("api.delete_application_file", everyone("login"), method="DELETE", url=_file_url),
    Spec("api.submit_application", everyone("login"), method="POST", url=_action_url("submit")),
    Spec("api.withdraw_application", everyone("login"), method="POST", url=_action_url("withdraw")),
    Spec("api.application_version", everyone("login"), url=_version_url),
]
