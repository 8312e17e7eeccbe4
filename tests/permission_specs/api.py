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


SPECS = [
    Spec("api.openapi_document", everyone("ok")),
    Spec("api.me", everyone("login")),
    Spec("api.organizations", everyone("login")),
    Spec("api.organization", everyone("login"), url=_organization_url),
    Spec("api.campaigns", everyone("login")),
    Spec("api.campaign", everyone("login"), url=_campaign_url),
]
