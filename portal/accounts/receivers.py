"""What the accounts package answers when another package asks (portal.signals)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import signals
from portal.accounts.models import User


def subscribe() -> None:
    signals.organization_accounts.connect(_organization_accounts)


def _organization_accounts(org, *, session, **_) -> list[User]:
    return list(
        session.scalars(sa.select(User).where(User.organization_id == org.id).order_by(User.name))
    )
