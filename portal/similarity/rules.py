"""Who sees recycled-narrative flags, and how much of the other packet of a pair.

The office and the channel reviewers who may read a packet see its flags. For the other packet
of a pair, a viewer who may read it too sees everything; one who may not (a reviewer of
another channel, or of a packet from an earlier campaign outside their channel) sees the
similarity, the campaign year and the shared passages, which are the evidence they need to
question their own applicant, but not the other unit, its team or person, nor the rest of its
narrative: those belong to another channel's review.
"""

from __future__ import annotations

from portal.applications.models import Application
from portal.applications.rules import can_view_application
from portal.applications.visibility import visible_ids
from portal.roles import Role, has_role
from portal.similarity.models import NarrativeMatch

FLAG_READERS = (Role.OFFICE, Role.CHANNEL_REVIEWER)


def _reader(user) -> bool:
    return has_role(user, *FLAG_READERS)


def can_list_matches(user) -> bool:
    """The list of every flag of a campaign is the office's."""
    return has_role(user, Role.OFFICE)


def can_see_flags(user, application: Application) -> bool:
    """The flags of a packet: the office and its channel's reviewers, not the enterprise."""
    return _reader(user) and can_view_application(user, application)


def can_view_match(user, match: NarrativeMatch) -> bool:
    return _reader(user) and (
        can_view_application(user, match.application) or can_view_application(user, match.other)
    )


def can_see_side(user, application: Application) -> bool:
    """Whether the viewer of a pair sees this packet's unit, name and whole narrative."""
    return can_see_flags(user, application)


def sides_seen(session, user, matches) -> set[int]:
    """The ids of the packets among these pairs whose side `user` sees, in one query."""
    if not _reader(user):
        return set()
    ids = {m.application_id for m in matches} | {m.other_application_id for m in matches}
    return visible_ids(session, user, ids)
