"""Organization and user management: the office and administrators only."""

from portal.accounts.models import Role
from portal.organizations.models import OrgKind
from tests.factories import make_org, make_user
from tests.permission_specs import Spec, only

OFFICE = only("office", "admin")
# Administrators' accounts are edited by administrators alone.
ADMIN_ONLY = only("admin")


def _org(action: str):
    return lambda _user: f"/office/organizations/{make_org(OrgKind.ENTERPRISE).id}/{action}"


def _inactive_org(_user):
    return f"/office/organizations/{make_org(OrgKind.OTHER, active=False).id}/activate"


def _user(action: str, role: Role = Role.ENTERPRISE):
    return lambda _user: f"/office/users/{make_user(role).id}/{action}"


SPECS = [
    Spec("organizations.index", OFFICE),
    Spec("organizations.create", OFFICE),
    Spec("organizations.create", OFFICE, method="POST", name="organizations-create-post"),
    Spec("organizations.edit", OFFICE, url=_org("edit")),
    Spec("organizations.edit", OFFICE, method="POST", url=_org("edit"), name="org-edit-post"),
    Spec("organizations.deactivate", OFFICE, method="POST", url=_org("deactivate")),
    Spec("organizations.activate", OFFICE, method="POST", url=_inactive_org),
    Spec("users.index", OFFICE),
    Spec("users.create", OFFICE),
    Spec("users.create", OFFICE, method="POST", name="users-create-post"),
    Spec("users.edit", OFFICE, url=_user("edit")),
    Spec("users.edit", OFFICE, method="POST", url=_user("edit"), name="users-edit-post"),
    Spec("users.edit", ADMIN_ONLY, url=_user("edit", Role.ADMIN), name="users-edit-admin"),
    Spec(
        "users.edit",
        ADMIN_ONLY,
        method="POST",
        url=_user("edit", Role.ADMIN),
        name="users-edit-admin-post",
    ),
    Spec("users.send_setup_link", OFFICE, method="POST", url=_user("setup-link")),
    Spec(
        "users.send_setup_link",
        ADMIN_ONLY,
        method="POST",
        url=_user("setup-link", Role.ADMIN),
        name="users-setup-link-admin",
    ),
]
