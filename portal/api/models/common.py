"""Models shared by several resources: pages, references to districts and industries."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from portal.api.spec import Answer
from portal.organizations.models import District, Industry

Row = TypeVar("Row", bound=BaseModel)


class PageMeta(Answer):
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=100)
    total: int = Field(ge=0)
    pages: int = Field(ge=0)


class Page(Answer, Generic[Row]):
    """One page of rows; subclassed per row model so the schema has a plain name."""

    data: list[Row]
    meta: PageMeta


class Reference(Answer):
    """A district or an industry."""

    code: str
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, row: District | Industry | None) -> Reference | None:
        if row is None:
            return None
        return cls(code=row.code, name_zh=row.name_zh, name_en=row.name_en)
