"""Honours: public roll, revoked list and verification; management by the office, revocation
decisions by the organizers, certificates also for the holder's own unit."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, everyone, only


def _honour(user=None):
    from tests.honours.helpers import make_honour

    own = user is not None and user.role is Role.ENTERPRISE
    return make_honour(organization=user.organization if own else None)


def _campaign(user):
    from tests.factories import make_campaign

    return make_campaign(year=2090)


def _evidence(user):
    from tests.honours.helpers import inspection_with_file

    inspection = inspection_with_file(_honour())
    return f"/honours/{inspection.honour_id}/inspections/files/{inspection.files[0].id}"


def _proposal(user):
    from tests.honours.helpers import proposal_for

    return proposal_for(_honour())


MANAGERS = only("office", "organizer")
OFFICE = only("office")
# The certificate: the office, the organizers and the holder's own unit; others never learn it.
CERTIFICATE = only("office", "organizer", "enterprise", others="hidden")

SPECS = [
    Spec("honours.roll", everyone()),
    Spec("honours.revoked", everyone()),
    Spec("honours.verify", everyone()),
    Spec(
        "honours.verify",
        everyone(),
        url=lambda u: f"/honours/verify?code={_honour().verification_code}",
        name="honours-verify-code",
    ),
    Spec("honours.manage", MANAGERS),
    Spec(
        "honours.confirm_final_list",
        OFFICE,
        method="POST",
        url=lambda u: f"/honours/campaigns/{_campaign(u).id}/final-list",
    ),
    Spec(
        "honours.campaign_certificates",
        MANAGERS,
        url=lambda u: f"/honours/campaigns/{_honour().campaign_id}/certificates",
    ),
    Spec("honours.show", MANAGERS, url=lambda u: f"/honours/{_honour().id}"),
    Spec("honours.certificate", CERTIFICATE, url=lambda u: f"/honours/{_honour(u).id}/certificate"),
    Spec(
        "honours.add_inspection",
        OFFICE,
        method="POST",
        url=lambda u: f"/honours/{_honour().id}/inspections",
    ),
    Spec("honours.inspection_file", MANAGERS, url=_evidence),
    Spec(
        "honours.add_complaint",
        OFFICE,
        method="POST",
        url=lambda u: f"/honours/{_honour().id}/complaints",
    ),
    Spec(
        "honours.propose", OFFICE, method="POST", url=lambda u: f"/honours/{_honour().id}/proposals"
    ),
    Spec(
        "honours.decide",
        only("organizer"),
        method="POST",
        url=lambda u: f"/honours/proposals/{_proposal(u).id}/decision",
    ),
    Spec(
        "honours.withdraw",
        OFFICE,
        method="POST",
        url=lambda u: f"/honours/proposals/{_proposal(u).id}/withdraw",
    ),
    Spec(
        "api.honours_verify",
        everyone(),
        url=lambda u: f"/api/v1/honours/verify?code={_honour().verification_code}",
    ),
]
