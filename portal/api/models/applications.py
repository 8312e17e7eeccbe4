"""Application packets (申报材料): summaries, the packet's content, versions, files and bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr, WithJsonSchema, create_model
from pydantic.json_schema import JsonDict

from portal.api.models.common import Page
from portal.api.models.organizations import OrganizationSummary
from portal.api.spec import Answer, Body, Figure, PageQuery, ShanghaiTime, Year, number
from portal.applications import personal as personal_data
from portal.applications.fields import FIELDS, FieldSpec, fields_for
from portal.applications.models import Application as ApplicationRow
from portal.applications.models import ApplicationState, FileCategory
from portal.applications.models import ApplicationVersion as VersionRow
from portal.campaigns.models import CampaignCategory, CategoryKind
from portal.files.models import KINDS
from portal.files.service import REJECTION_KEYS
from portal.inputs import DB_INT_MAX
from portal.organizations.models import UnitNature

PERSONAL = (
    "Masked (1101**********1234, 138****5678) for readers other than the enterprise and the office"
)
BIRTH_DATE = "Null for readers other than the enterprise and the office"
Sex = Literal["female", "male"]
DAY: JsonDict = {"format": "date"}


def _masked(name: str, value: Any, personal: bool) -> Any:
    """Personal data masked for readers outside the enterprise and the office (138****5678)."""
    return value if personal else personal_data.mask_value(name, value)


def _snap_number(raw: object) -> int | float | None:
    """A Decimal kept as text in a snapshot ("99.20"), as a JSON number (99.2)."""
    return None if raw is None else number(Decimal(str(raw)))


def _sex(female: bool | None) -> Sex | None:
    return None if female is None else ("female" if female else "male")


def _field_type(spec: FieldSpec) -> tuple[Any, Any]:
    if spec.kind == "rate":
        return Figure | None, Field(default=None, ge=0, le=100)
    if spec.kind == "nature":
        return UnitNature | None, None
    if spec.kind == "date":
        return str | None, Field(default=None, json_schema_extra={"format": "date"})
    if spec.name in ("id_number", "mobile", "leader_mobile"):
        return str | None, Field(default=None, description=PERSONAL)
    return str | None, None


# The fields of the category's form (team or individual); only the form's own are sent.
_PACKET_FIELDS: dict[str, Any] = {spec.name: _field_type(spec) for spec in FIELDS}
PacketFields: type[BaseModel] = create_model("PacketFields", __base__=Answer, **_PACKET_FIELDS)


class ApplicationCategory(Answer):
    code: str
    kind: CategoryKind
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, row: CampaignCategory) -> ApplicationCategory:
        return cls(code=row.code, kind=row.kind, name_zh=row.name_zh, name_en=row.name_en)


class CampaignYear(Answer):
    id: int
    year: int


class ApplicationSummary(Answer):
    id: int
    campaign: CampaignYear
    category: ApplicationCategory
    organization: OrganizationSummary
    title: str = Field(description="Team name or person's name")
    state: ApplicationState
    created_at: ShanghaiTime
    updated_at: ShanghaiTime
    submitted_at: ShanghaiTime | None

    @classmethod
    def summary(cls, app: ApplicationRow) -> dict[str, Any]:
        return {
            "id": app.id,
            "campaign": CampaignYear(id=app.campaign_id, year=app.campaign.year),
            "category": ApplicationCategory.of(app.category),
            "organization": OrganizationSummary.of(app.organization),
            "title": app.title,
            "state": app.state,
            "created_at": app.created_at,
            "updated_at": app.updated_at,
            "submitted_at": app.submitted_at,
        }

    @classmethod
    def of(cls, app: ApplicationRow) -> ApplicationSummary:
        return cls(**cls.summary(app))


class ApplicationPage(Page[ApplicationSummary]):
    pass


class ApplicationQuery(PageQuery):
    state: ApplicationState | None = Field(default=None, description="Only this state")
    year: Year | None = Field(default=None, description="Campaign")


class TeamMember(Answer):
    name: str
    id_number: str | None = Field(description=PERSONAL)
    sex: Sex | None
    birth_date: str | None = Field(json_schema_extra=DAY, description=BIRTH_DATE)
    post: str
    years_in_post: int | None


class Honour(Answer):
    title: str
    awarded_by: str
    year: str


class PacketFile(Answer):
    id: int = Field(description="Id of the stored file; the same in every version")
    category: FileCategory
    filename: str
    kind: Literal[KINDS] = Field(description="Recognised by content")  # type: ignore[valid-type]
    size: int = Field(ge=1)
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    url: str = Field(description="Where to download it")

    @classmethod
    def listed(cls, app_id: int, row: dict[str, Any]) -> dict[str, Any]:
        """A file as a packet snapshot lists it; its id is the stored file's."""
        file_id = row["stored_file_id"]
        return {
            "id": file_id,
            "category": row["category"],
            "filename": row["filename"],
            "kind": row["kind"],
            "size": row["size"],
            "sha256": row["sha256"],
            "url": f"/api/v1/applications/{app_id}/files/{file_id}",
        }


class StoredFile(PacketFile):
    content_type: str
    created_at: ShanghaiTime

    @classmethod
    def of(cls, app_id: int, link: Any) -> StoredFile:
        """A file just attached to a draft (an ApplicationFile)."""
        stored = link.stored_file
        row = {
            "stored_file_id": stored.id,
            "category": link.category.value,
            "filename": stored.filename,
            "kind": stored.kind,
            "size": stored.size,
            "sha256": stored.sha256,
        }
        return cls(
            **PacketFile.listed(app_id, row),
            content_type=stored.content_type,
            created_at=stored.created_at,
        )


class Figures(Answer):
    """Computed from the ID number or the member list, never typed in."""

    member_count: int | None
    average_age: Figure | None
    women_count: int | None
    women_share: Figure | None = Field(description="Percent")
    birth_date: str | None = Field(json_schema_extra=DAY, description=BIRTH_DATE)
    sex: Sex | None
    age: int | None
    years_in_post: int | None


class Packet(Answer):
    """The content of a packet: the form, computed figures, members, honours, narrative, files."""

    fields: PacketFields  # type: ignore[valid-type]
    figures: Figures
    members: list[TeamMember]
    honours: list[Honour]
    narrative: str = Field(description="Introductory material (介绍性材料)")
    narrative_chars: int = Field(description="Chinese characters in it")
    files: list[PacketFile]

    @classmethod
    def content(
        cls, app_id: int, snap: dict, kind: CategoryKind, *, personal: bool
    ) -> dict[str, Any]:
        """From a snapshot (applications.service.make_snapshot); ID numbers and mobiles masked,
        birth dates withheld, unless `personal`."""
        cols = snap["fields"]
        fields = {}
        for spec in fields_for(kind):
            value = cols.get(spec.name)
            if spec.kind == "rate":
                value = _snap_number(value)
            fields[spec.name] = _masked(spec.name, value, personal)
        return {
            "fields": PacketFields(**fields),
            "figures": Figures(
                member_count=cols.get("member_count"),
                average_age=_snap_number(cols.get("average_age")),
                women_count=cols.get("women_count"),
                women_share=_snap_number(cols.get("women_share")),
                birth_date=cols.get("birth_date") if personal else None,
                sex=_sex(cols.get("female")),
                age=cols.get("age"),
                years_in_post=cols.get("years_in_post"),
            ),
            "members": [
                TeamMember(
                    name=m["name"],
                    id_number=_masked("id_number", m.get("id_number"), personal),
                    sex=_sex(m["female"]),
                    birth_date=m["birth_date"] if personal else None,
                    post=m.get("post") or "",
                    years_in_post=m.get("years_in_post"),
                )
                for m in snap["members"]
            ],
            "honours": [
                Honour(**{k: str(h.get(k) or "") for k in ("title", "awarded_by", "year")})
                for h in cols.get("honours") or []
            ],
            "narrative": snap["narrative"],
            "narrative_chars": snap["narrative_chars"],
            "files": [PacketFile(**PacketFile.listed(app_id, f)) for f in snap["files"]],
        }


class VersionSummary(Answer):
    number: int = Field(ge=1)
    submitted_at: ShanghaiTime
    withdrawn_at: ShanghaiTime | None
    returned_at: ShanghaiTime | None
    return_reason: str | None

    @classmethod
    def of(cls, row: VersionRow) -> VersionSummary:
        return cls.model_validate(row, from_attributes=True)


class Application(ApplicationSummary, Packet):
    lock_version: int = Field(description="Send it back with every change (optimistic locking)")
    deadline: ShanghaiTime
    return_reason: str | None
    shown_version: int | None = Field(
        description="The version whose content is shown to reviewers and the office; "
        "null for the enterprise, which sees its live packet"
    )
    missing: list[str] = Field(
        description="What is still missing before submission (editable only)"
    )
    versions: list[VersionSummary]


class ApplicationVersion(VersionSummary, Packet):
    application_id: int

    @classmethod
    def frozen(cls, app: ApplicationRow, row: VersionRow, *, personal: bool) -> ApplicationVersion:
        """One frozen version, exactly as it was submitted."""
        return cls(
            application_id=app.id,
            **VersionSummary.of(row).model_dump(),
            **Packet.content(app.id, row.snapshot, app.category.kind, personal=personal),
        )


class ApplicationErrorDetail(Answer):
    code: str = Field(examples=["stale", "invalid"])
    message: str = Field(description="In the caller's language")
    parameter: str = ""
    problems: dict[str, str] = Field(
        default_factory=dict,
        description="Every field problem at once, keyed by field "
        "('members-0-id_number' for a table cell)",
    )
    missing: list[str] = Field(
        default_factory=list, description="Everything missing before submission, at once"
    )
    reason: Literal[REJECTION_KEYS] = "empty"  # type: ignore[valid-type]
    lock_version: int = Field(default=0, description="The current one")


class ApplicationError(Answer):
    """A refusal of a packet's change, with what the caller needs to correct it."""

    error: ApplicationErrorDetail


# Request bodies. The form's own rules (field names and values by category, members' ID
# numbers) are the service's; the models fix the shape.
JsonRow = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {"type": "object", "additionalProperties": {"type": ["string", "integer", "null"]}}
    ),
]
FieldValues = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}}
    ),
]


class ApplicationCreate(Body):
    category: StrictStr = Field(examples=["team", "individual"])
    campaign_id: StrictInt | None = Field(
        default=None, ge=1, le=DB_INT_MAX, description="Default: the open campaign"
    )


class ApplicationUpdate(Body):
    lock_version: StrictInt
    fields: FieldValues | None = Field(
        default=None, description="Only the fields sent change; null or '' empties one"
    )
    members: list[JsonRow] | None = Field(
        default=None,
        description="Replaces the member list: name, id_number or sex and birth_date, post, "
        "years_in_post",
    )
    honours: list[JsonRow] | None = Field(
        default=None, description="Replaces the honours: title, awarded_by, year"
    )
    narrative: StrictStr | None = None
