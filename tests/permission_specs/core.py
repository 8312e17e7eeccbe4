"""Public pages, accounts and the office's tools."""

from portal.accounts.models import Role
from tests.factories import make_user
from tests.permission_specs import Spec, everyone, logged_in, only


def _own_token_revoke(user):
    from portal.accounts.service import create_api_token
    from portal.db import get_session

    owner = user or make_user(Role.ENTERPRISE)
    token, _secret = create_api_token(get_session(), owner, "t")
    get_session().flush()
    return f"/account/tokens/{token.id}/revoke"


def _reset_url(user):
    from portal.accounts.service import make_reset_token

    return f"/password/reset/{make_reset_token(user or make_user(Role.ENTERPRISE))}"


SPECS = [
    Spec("public.index", everyone()),
    Spec("public.set_language", everyone(), url=lambda u: "/lang/en"),
    Spec("accounts.login", everyone()),
    Spec("accounts.login", everyone(), method="POST", name="login-post"),
    Spec("accounts.logout", everyone(), method="POST"),
    Spec("accounts.register", everyone()),
    Spec("accounts.register", everyone(), method="POST", name="register-post"),
    Spec("accounts.forgot_password", everyone()),
    Spec("accounts.forgot_password", everyone(), method="POST", name="forgot-post"),
    Spec("accounts.reset_password", everyone(), url=_reset_url),
    Spec("accounts.reset_password", everyone(), method="POST", url=_reset_url, name="reset-post"),
    Spec("accounts.home", logged_in()),
    Spec("accounts.api_tokens", logged_in()),
    Spec("accounts.api_tokens", logged_in(), method="POST", name="tokens-post"),
    Spec("accounts.revoke_api_token", logged_in(), method="POST", url=_own_token_revoke),
    Spec("office.audit_log", only("office", "admin")),
    Spec("office.outbox", only("office", "admin")),
]
