"""The StoredFile row: where an uploaded file lives and what it is."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow

BACKENDS = ("local", "s3")
KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")


class StoredFile(Base):
    """One uploaded file: backend and key locate it; kind, size and SHA-256 describe it."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    backend: Mapped[str] = mapped_column(sa.String(8))
    # The key inside the backend (without the deployment's S3_PREFIX).
    key: Mapped[str] = mapped_column(sa.String(512), unique=True)
    # The uploader's file name, sanitised for display and downloads; never used as a path.
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(128))
    kind: Mapped[str] = mapped_column(sa.String(8))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        sa.CheckConstraint("backend IN ('local', 's3')", name="backend"),
        sa.CheckConstraint("kind IN ('pdf', 'jpeg', 'png', 'docx', 'xlsx')", name="kind"),
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.kind} {self.size} {self.key}>"
