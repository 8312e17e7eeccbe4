"""Domain events: a domain announces what happened, the domains above it react.

A package lower in the import graph (applications, scoring, notice...) must not call into the
ones above it. When something happens there that others react to, it sends one of the signals
below; the reacting package subscribes in its own `subscribe()` function, which the app factory
calls once at setup (connecting a receiver twice is harmless: blinker keeps one). Nothing is
connected at import time, so the order in which modules are imported does not matter.

Receivers run synchronously, at the `send`, in the sender's session and transaction: what they
write commits or rolls back together with what the sender wrote, and an exception in a receiver
aborts the sender's operation. Each signal's sender is the record it is about; the keyword
arguments are listed beside it. Every event passes `session`.

Some signals are questions rather than events (as Indico asks its plugins): the sender collects
what the receivers return with `answers(signal, sender, ...)`.
"""

from __future__ import annotations

from blinker import Namespace

events = Namespace()


def answers(signal, sender, **kwargs) -> list:
    """What the receivers of a question returned, leaving out None (a receiver with nothing to
    say), in the order they were connected."""
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]


# An application packet was (re)submitted: it is in its new state, its version not yet frozen
# (what receivers set on the packet is recorded in that version).
# sender: Application; now: datetime; completing: bool (a packet returned for completion goes
# back to the formal check, not into the channel chain).
packet_submitted = events.signal("packet-submitted")

# A question: what else must be done before this packet can be submitted? sender: Application;
# session. Each answer is a list of messages (lazy strings) for the unit's missing-items list,
# empty when the answering package has nothing against the packet (the programme's eligibility
# rules, the customer survey's minimum of answers...).
packet_missing = events.signal("packet-missing")

# A submitted version of a packet was frozen and flushed. sender: ApplicationVersion; now.
version_frozen = events.signal("version-frozen")

# A question: which packets may this user read? sender: the user's Role; user. The package that
# knows the role's reading rule connects for that role and returns a WHERE clause on
# Application (portal.applications.visibility ORs the answers).
packet_readers = events.signal("packet-readers")

# A question: has the ranking that a packet forwarded now would wait for closed already?
# sender: Application. The recommendations package answers with the submitted Recommendation.
closed_ranking = events.signal("closed-ranking")

# A question: which packets wait on a step that has closed? sender: Campaign. Each answer is a
# list of (Application, the record that closed the step) pairs.
stranded_packets = events.signal("stranded-packets")

# A question: is the campaign's list on public notice? sender: Campaign id. The notice package
# answers with the published PublicNotice.
published_notice = events.signal("published-notice")

# A question: which user accounts does this organization hold? sender: Organization. The
# accounts package answers with the list, by name.
organization_accounts = events.signal("organization-accounts")

# A question: may this move of a packet be made? sender: Application; current, target (states),
# actor, now. Asked by the application workflow after its own guards; the review chain and the
# recommendations package answer with a Refusal when their rules forbid the move.
packet_move = events.signal("packet-move")

# A question: which terms did this honour hold before its current one (a re-evaluation renewed
# it)? sender: Honour; session. The re-evaluation package answers with a list of past terms,
# oldest first, each with started_on, ended_on, certificate_number, verification_code and
# renewed_at.
honour_past_terms = events.signal("honour-past-terms")

# A question: which honour carried this verification code on a certificate that a renewal
# replaced? sender: the code as stored; session. Answered with the Honour.
retired_code = events.signal("retired-code")

# A campaign was created, fresh or as a copy. sender: Campaign (flushed, with its categories);
# session; source: the Campaign it was copied from, or None. Packages that keep settings per
# campaign seed theirs (the eligibility rules: the programme's defaults, or the source's).
campaign_created = events.signal("campaign-created")

# A question: may this unit start a packet in this campaign? sender: Campaign; session,
# organization. Each answer is a Refusal (the integrity bar on a unit found to have fabricated
# material in an earlier campaign).
packet_start = events.signal("packet-start")

# A question: what waits on this user? sender: the user's Role; user, session, campaign (the
# current campaign, or None), now. A package connects for the roles whose work it holds and
# answers with a dict of named parts of the home page (portal/accounts/home.py merges them);
# each part comes from the same service function as the list page it links to.
home_work = events.signal("home-work")
