"""Application packets (申报材料): the form, team members, attached files and frozen versions."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal import labels
from portal.accounts.models import User
from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.files.models import StoredFile
from portal.organizations.models import District, Industry, Organization, UnitNature


class ApplicationState(enum.StrEnum):
    """Where a packet stands in the campaign; the moves between states are declared in
    portal/applications/workflow.py and nowhere else."""

    DRAFT = "draft"  # being prepared by the enterprise (草稿)
    SUBMITTED = "submitted"  # handed in, frozen, in the channel review chain (渠道审核中)
    RETURNED = "returned"  # sent back for revision (退回修改)
    NOT_RECOMMENDED = "not_recommended"  # a channel stage declined to recommend (不予推荐)
    CHANNEL_APPROVED = "channel_approved"  # passed every channel stage, awaiting ranking (待推荐)
    RECOMMENDED = "recommended"  # in a submitted recommendation, at the office's check (已推荐)
    # returned by the office's formal check with everything missing listed at once (退回补正)
    INCOMPLETE = "incomplete"
    REJECTED = "rejected"  # refused at the office's formal check (形式审查未通过)
    ACCEPTED = "accepted"  # accepted into expert review (专家评审)
    CANDIDATE = "candidate"  # on the confirmed candidate list (拟表彰)
    NOT_SELECTED = "not_selected"  # ranked outside the quota (未入选)
    DISQUALIFIED = "disqualified"  # withdrawn after an upheld objection (取消资格)
    AWARDED = "awarded"  # holds the title (获评)


labels.declare(
    ApplicationState,
    {
        ApplicationState.DRAFT: _l("Draft"),
        ApplicationState.SUBMITTED: _l("Submitted"),
        ApplicationState.RETURNED: _l("Returned for revision"),
        ApplicationState.NOT_RECOMMENDED: _l("Not recommended"),
        ApplicationState.CHANNEL_APPROVED: _l("Passed channel review"),
        ApplicationState.RECOMMENDED: _l("Recommended"),
        ApplicationState.INCOMPLETE: _l("Returned for completion"),
        ApplicationState.REJECTED: _l("Rejected at formal check"),
        ApplicationState.ACCEPTED: _l("In expert review"),
        ApplicationState.CANDIDATE: _l("Candidate"),
        ApplicationState.NOT_SELECTED: _l("Not selected"),
        ApplicationState.DISQUALIFIED: _l("Disqualified"),
        ApplicationState.AWARDED: _l("Awarded"),
    },
)


class FileCategory(enum.StrEnum):
    SEALED_FORM = "sealed_form"  # scan of the sealed, signed application form (盖章申报表)
    INTRODUCTION = "introduction"  # introductory material (介绍性材料)
    EVIDENCE = "evidence"  # evidentiary material (证实性材料)
    SURVEY = "survey"  # customer evaluation surveys (用户评价调查表)
    PHOTO = "photo"  # photographs


labels.declare(
    FileCategory,
    {
        FileCategory.SEALED_FORM: _l("Sealed application form (scan)"),
        FileCategory.INTRODUCTION: _l("Introductory material"),
        FileCategory.EVIDENCE: _l("Evidentiary material"),
        FileCategory.SURVEY: _l("Customer evaluation surveys"),
        FileCategory.PHOTO: _l("Photo"),
    },
)


RATE = sa.Numeric(5, 2)

# Columns of one form only, which a packet of the other kind leaves empty (NULL). Drafts of
# the right kind may leave them empty too.
TEAM_COLUMNS = (
    "team_name",
    "team_founded_on",
    "leader_name",
    "leader_post",
    "leader_mobile",
    "member_count",
    "average_age",
    "women_count",
    "women_share",
)
INDIVIDUAL_COLUMNS = (
    "person_name",
    "ethnicity",
    "political_status",
    "education",
    "id_number",
    "work_start_date",
    "post_start_date",
    "post",
    "office_phone",
    "mobile",
    "email",
    "birth_date",
    "female",
    "age",
    "years_in_post",
)


def _only_on(kind: CategoryKind, columns: tuple[str, ...]) -> sa.CheckConstraint:
    empty = " AND ".join(f"{column} IS NULL" for column in columns)
    return sa.CheckConstraint(f"kind = '{kind.value}' OR ({empty})", name=f"{kind.value}_form")


class Application(Base):
    """One application packet of an enterprise in a campaign, for a team or an individual."""

    __tablename__ = "application"
    __table_args__ = (
        sa.CheckConstraint(
            "state = 'draft' OR submitted_at IS NOT NULL", name="submitted_has_time"
        ),
        sa.CheckConstraint(
            "women_share IS NULL OR (women_share >= 0 AND women_share <= 100)",
            name="women_share_percent",
        ),
        # Every queue and list asks for a campaign's packets in some states (the review
        # queues, the formal check in id order) or a category's (ranking, expert review).
        sa.Index("ix_application_campaign_state", "campaign_id", "state", "id"),
        sa.Index("ix_application_category_state", "category_id", "state"),
        # The packet's kind is its category's, and only that form's columns may be filled.
        sa.ForeignKeyConstraint(
            ["category_id", "kind"], ["campaign_category.id", "campaign_category.kind"]
        ),
        _only_on(CategoryKind.TEAM, TEAM_COLUMNS),
        _only_on(CategoryKind.INDIVIDUAL, INDIVIDUAL_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    category_id: Mapped[int] = mapped_column()
    # Copied from the category when it is set (see _kind_of_category); the foreign key above
    # keeps the two equal.
    kind: Mapped[CategoryKind] = mapped_column(enum_column(CategoryKind, "category_kind"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # Copied from the enterprise when the packet is created: the channel it belongs to (归口).
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"))
    industry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"))
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, "application_state"), default=ApplicationState.DRAFT
    )
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The review chain (portal/review/): the position of the stage(s) the packet is at, and
    # when a stage first acted on the current version (withdrawal ends then).
    stage_position: Mapped[int | None] = mapped_column()
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Unit (申报单位); name, credit code, district and industry come from the organization.
    unit_nature: Mapped[UnitNature | None] = mapped_column(enum_column(UnitNature, "unit_nature"))
    unit_superior: Mapped[str | None] = mapped_column(sa.String(200))
    unit_address: Mapped[str | None] = mapped_column(sa.String(300))
    unit_postcode: Mapped[str | None] = mapped_column(sa.String(6))

    # Team form (班组申报表)
    team_name: Mapped[str | None] = mapped_column(sa.String(200))
    team_founded_on: Mapped[date | None] = mapped_column(sa.Date())
    leader_name: Mapped[str | None] = mapped_column(sa.String(64))
    leader_post: Mapped[str | None] = mapped_column(sa.String(100))
    leader_mobile: Mapped[str | None] = mapped_column(sa.String(11))
    # Derived from the member list by derive_figures(); never typed in.
    member_count: Mapped[int | None] = mapped_column()
    average_age: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    women_count: Mapped[int | None] = mapped_column()
    women_share: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))

    # Individual form (个人申报表)
    person_name: Mapped[str | None] = mapped_column(sa.String(64))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(32))
    political_status: Mapped[str | None] = mapped_column(sa.String(32))
    education: Mapped[str | None] = mapped_column(sa.String(32))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    work_start_date: Mapped[date | None] = mapped_column(sa.Date())
    post_start_date: Mapped[date | None] = mapped_column(sa.Date())
    post: Mapped[str | None] = mapped_column(sa.String(100))
    office_phone: Mapped[str | None] = mapped_column(sa.String(32))
    mobile: Mapped[str | None] = mapped_column(sa.String(11))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # Derived from the ID number and the post start date by derive_figures().
    birth_date: Mapped[date | None] = mapped_column(sa.Date())
    female: Mapped[bool | None] = mapped_column()
    age: Mapped[int | None] = mapped_column()
    years_in_post: Mapped[int | None] = mapped_column()

    # Both forms
    service_content: Mapped[str | None] = mapped_column(sa.Text)
    customers_served: Mapped[str | None] = mapped_column(sa.Text)
    on_time_rate: Mapped[Decimal | None] = mapped_column(RATE)
    satisfaction_rate: Mapped[Decimal | None] = mapped_column(RATE)
    grievance_rate: Mapped[Decimal | None] = mapped_column(RATE)
    complaint_rate: Mapped[Decimal | None] = mapped_column(RATE)
    complaint_handling_rate: Mapped[Decimal | None] = mapped_column(RATE)
    # [{"title": ..., "awarded_by": ..., "year": ...}]
    honours: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    deeds_summary: Mapped[str | None] = mapped_column(sa.Text)
    unit_opinion: Mapped[str | None] = mapped_column(sa.Text)
    # Introductory material (介绍性材料) written in the browser.
    narrative: Mapped[str] = mapped_column(sa.Text, default="")

    campaign: Mapped[Campaign] = relationship()
    # Joined on the id alone (the foreign key also covers the kind): a packet's category is
    # then found in the session by its primary key, not read again for every packet of a list.
    category: Mapped[CampaignCategory] = relationship(
        primaryjoin="Application.category_id == CampaignCategory.id",
        foreign_keys="Application.category_id",
    )
    organization: Mapped[Organization] = relationship()
    district: Mapped[District | None] = relationship()
    industry: Mapped[Industry | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="TeamMember.position",
    )
    files: Mapped[list[ApplicationFile]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationFile.id"
    )
    versions: Mapped[list[ApplicationVersion]] = relationship(
        back_populates="application", order_by="ApplicationVersion.number"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @validates("category")
    def _kind_of_category(self, _key: str, category: CampaignCategory) -> CampaignCategory:
        self.kind = category.kind
        return category

    @property
    def title(self) -> str:
        return (self.team_name or self.person_name or "").strip()

    @property
    def latest_version(self) -> ApplicationVersion | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.state}>"


class TeamMember(Base):
    """A member of an applying team; birth date and sex come from the ID number when given."""

    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(64))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    birth_date: Mapped[date] = mapped_column(sa.Date())
    female: Mapped[bool] = mapped_column()
    post: Mapped[str] = mapped_column(sa.String(100), default="")
    years_in_post: Mapped[int | None] = mapped_column()

    application: Mapped[Application] = relationship(back_populates="members")


class ApplicationFile(Base):
    """A stored file attached to the current packet, in one of the material categories."""

    __tablename__ = "application_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    category: Mapped[FileCategory] = mapped_column(enum_column(FileCategory, "file_category"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="files")
    stored_file: Mapped[StoredFile] = relationship()


version_file = sa.Table(
    "application_version_file",
    Base.metadata,
    sa.Column(
        "version_id",
        sa.ForeignKey("application_version.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # No cascade: a file that belongs to a submitted version stays in storage.
    sa.Column("stored_file_id", sa.ForeignKey("stored_file.id"), primary_key=True),
)


class ApplicationVersion(Base):
    """What was submitted, frozen: the form, members and files as reviewers read them."""

    __tablename__ = "application_version"
    __table_args__ = (sa.UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    number: Mapped[int] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    # Set when the enterprise withdrew this version, or a reviewer returned it.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(sa.Text)

    application: Mapped[Application] = relationship(back_populates="versions")
    submitted_by: Mapped[User | None] = relationship()
    stored_files: Mapped[list[StoredFile]] = relationship(secondary=version_file)
