"""Fingerprints of submitted narratives and the recycled-narrative flags (雷同材料) they raise."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application, ApplicationVersion
from portal.db import Base, UTCDateTime, utcnow
from portal.percent import one_decimal


class NarrativeFingerprint(Base):
    """The sketch of the narrative of one submitted version (the text stays in its snapshot)."""

    __tablename__ = "narrative_fingerprint"
    __table_args__ = (sa.UniqueConstraint("version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application_version.id", ondelete="CASCADE")
    )
    # Only the latest fingerprinted version of a packet is compared with others.
    current: Mapped[bool] = mapped_column(default=True)
    scheme: Mapped[int] = mapped_column()
    # The one-permutation MinHash bins, packed (see service.pack_sketch).
    sketch: Mapped[bytes] = mapped_column(sa.LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()
    version: Mapped[ApplicationVersion] = relationship()


class NarrativeBand(Base):
    """One LSH band key of a fingerprint: equal keys make two narratives candidates."""

    __tablename__ = "narrative_band"
    # On SQLite the table is its primary-key index (no separate rowid tree to maintain).
    __table_args__ = {"sqlite_with_rowid": False}

    # Keyed by the band key first: the primary key's index is the lookup index.
    key: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    fingerprint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("narrative_fingerprint.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column()


class NarrativeMatch(Base):
    """A flag: the narrative of `application` shares most of its text with that of `other`.

    `application` is the packet whose check found the pair (the later one); `other` is the
    packet of the same or an earlier campaign it was compared with. One row per pair.
    """

    __tablename__ = "narrative_match"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "other_application_id"),
        sa.CheckConstraint("application_id <> other_application_id", name="two_packets"),
        sa.CheckConstraint("similarity >= 0 AND similarity <= 1", name="similarity_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    other_application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application_version.id", ondelete="CASCADE")
    )
    other_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application_version.id", ondelete="CASCADE")
    )
    # The two packets' campaigns, kept on the flag (a packet never changes campaign): the
    # office's list of a campaign's flags counts and filters them on the flag's own row,
    # instead of looking up both packets of every flag in the archive.
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    other_campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    # Containment: the share of the shorter narrative's shingles found in the other.
    similarity: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3))
    shared_shingles: Mapped[int] = mapped_column()
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(foreign_keys=[application_id])
    other: Mapped[Application] = relationship(foreign_keys=[other_application_id])
    version: Mapped[ApplicationVersion] = relationship(foreign_keys=[version_id])
    other_version: Mapped[ApplicationVersion] = relationship(foreign_keys=[other_version_id])

    @property
    def percent(self) -> Decimal | None:
        """The similarity as a percentage with one decimal, as every share is shown."""
        return one_decimal(Decimal(self.similarity) * 100)


# The office's flag list (service.list_matches) reads the flags highest similarity first and
# stops at a page's worth, however many flags the archive holds. The index holds both
# campaigns of each flag: a campaign's flags are told from the others along it, without
# reading the flags' rows, and a deep page passes over index entries alone.
sa.Index(
    "ix_narrative_match_similarity",
    NarrativeMatch.similarity.desc(),
    NarrativeMatch.id,
    NarrativeMatch.campaign_id,
    NarrativeMatch.other_campaign_id,
)
# A campaign's flags are counted from these two alone: those of its packets found by a check
# (campaign_id), and those whose other packet is of it while the flagged one is not.
sa.Index("ix_narrative_match_campaign", NarrativeMatch.campaign_id)
sa.Index(
    "ix_narrative_match_other_campaign",
    NarrativeMatch.other_campaign_id,
    NarrativeMatch.campaign_id,
)
