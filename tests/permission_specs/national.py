"""The recommendation to the national programme: the programme office alone."""

from tests.permission_specs import Spec, only

YEAR = 2027


def _holder(user=None):
    from tests.honours.helpers import make_honour

    return make_honour()


def _listed(user=None):
    from portal.accounts.models import Role
    from portal.db import get_session
    from portal.national import service
    from tests.factories import make_user

    office = make_user(Role.OFFICE)
    return service.add_nomination(get_session(), office, YEAR, _holder().id)


def _export(user=None):
    _listed(user)
    return f"/national/{YEAR}/recommendation.docx"


OFFICE = only("office")

SPECS = [
    Spec("national.index", OFFICE),
    Spec(
        "national.add",
        OFFICE,
        method="POST",
        url=lambda u: f"/national/{YEAR}/add",
        data={"honour_id": "0"},
    ),
    Spec("national.order", OFFICE, method="POST", url=lambda u: f"/national/{YEAR}/order"),
    Spec(
        "national.remove",
        OFFICE,
        method="POST",
        url=lambda u: f"/national/{YEAR}/{_listed(u).id}/remove",
    ),
    Spec("national.export", OFFICE, url=_export),
]
