"""The JSON API: its document is open to everyone.

Every other API route wants a bearer token and ignores the browser session:
test_permission_matrix.test_a_browser_login_opens_no_api_route checks that for every role.
Per-role behaviour with real tokens is tested in tests/api/.
"""

from tests.permission_specs import Spec, everyone

SPECS = [
    Spec("api.openapi_document", everyone("ok")),
]
