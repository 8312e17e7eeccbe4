"""Operations of /api/v1 described by pydantic models, once: the query is validated with its
model, the answer serialized from its model, and the OpenAPI document built from both.

`@operation(...)` goes under a blueprint route; it records the operation for the document and
hands the view its validated query as the keyword `query`. A refusal of a query parameter is the
portal's own `invalid_parameter` error in the caller's language, never pydantic's English.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, TypeVar, cast

from flask import Blueprint, Response, jsonify, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
)
from pydantic.json_schema import models_json_schema
from pydantic_core import ErrorDetails

from portal.api.body import json_object
from portal.api.errors import ApiError, api_locale
from portal.clock import SHANGHAI
from portal.inputs import DB_INT_MAX, parse_int, range_message

bp = Blueprint("api", __name__, url_prefix="/api/v1")

REF_TEMPLATE = "#/components/schemas/{model}"
_DIGITS = re.compile(r"\s*[0-9]{1,18}\s*")


class Answer(BaseModel):
    """A model of an answer: every field named, nothing else sent."""

    model_config = ConfigDict(extra="forbid")


class Body(BaseModel):
    """A model of a JSON request body; fields it does not name are ignored."""


class Query(BaseModel):
    """A model of query parameters; parameters it does not name are ignored."""

    model_config = ConfigDict(extra="ignore")


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: 3 for 3.00, 99.2 for 99.20."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _shanghai(value: datetime) -> str:
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")


ShanghaiTime = Annotated[
    datetime,
    PlainSerializer(_shanghai, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 in Asia/Shanghai time, e.g. 2026-11-10T17:00:00+08:00",
        }
    ),
]


def _figure(value: object) -> object:
    return number(value) if isinstance(value, Decimal) else value


# A JSON number that stays whole when it is (3, not 3.0); a Decimal column is taken as it is.
# (Decimal is in the type for the callers: the validator has turned it into a number.)
Figure = Annotated[
    int | float | Decimal, BeforeValidator(_figure), WithJsonSchema({"type": "number"})
]


def _whole(raw: object) -> object:
    """Only ASCII digits count as a whole number here ('1e3', '١', '+1' do not)."""
    if isinstance(raw, str) and not _DIGITS.fullmatch(raw):
        raise ValueError("not a whole number")
    return raw


Whole = BeforeValidator(_whole)
# The limits come before the digits check, or pydantic cannot put them in the JSON schema.
PageNumber = Annotated[int, Field(ge=1, le=DB_INT_MAX), Whole]
PerPage = Annotated[int, Field(ge=1, le=100), Whole]
Year = Annotated[int, Field(ge=1900, le=9999), Whole]
RowId = Annotated[int, Field(ge=1, le=DB_INT_MAX), Whole]


class PageQuery(Query):
    page: PageNumber = Field(default=1, description="Page number")
    per_page: PerPage = Field(default=20, description="Rows per page")


T = TypeVar("T", bound=BaseModel)


def _limits(query: type[Query], name: str) -> tuple[int, int]:
    """The whole-number limits of a parameter, as its JSON schema states them."""
    prop = query.model_json_schema()["properties"][name]
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "integer":
            return branch.get("minimum", 0), branch.get("maximum", DB_INT_MAX)
    return 0, DB_INT_MAX


def _enum_of(query: type[Query], name: str) -> type[enum.Enum] | None:
    annotation = query.model_fields[name].annotation
    for candidate in getattr(annotation, "__args__", (annotation,)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def _parameter_message(query: type[Query], name: str, raw: object) -> Any:
    """The portal's message for a refused parameter, as the hand-written parsing gave it."""
    enum_cls = _enum_of(query, name)
    if enum_cls is not None:
        return _l(
            "Unknown value '%(value)s' for %(name)s; use one of: %(allowed)s.",
            value=raw,
            name=name,
            allowed=", ".join(str(m.value) for m in enum_cls),
        )
    low, high = _limits(query, name)
    if high != DB_INT_MAX:
        return range_message(name, low, high)
    if parse_int(raw, low, 10**18) is not None:
        return range_message(name, low, DB_INT_MAX)  # beyond what the database holds
    return _l(
        "The parameter %(name)s must be a whole number of at least %(low)s.", name=name, low=low
    )


def parse_query(query: type[T]) -> T:
    """The request's query as `query`; the first refused parameter is a 400 naming it."""
    raw = {key: value for key, value in request.args.items() if value != ""}
    try:
        return query.model_validate(raw)
    except ValidationError as err:
        first: ErrorDetails = err.errors()[0]
        name = str(first["loc"][0])
        message = _parameter_message(cast(type[Query], query), name, raw.get(name))
        raise ApiError(400, "invalid_parameter", message, parameter=name) from None


B = TypeVar("B", bound=BaseModel)


def text(message: Any) -> str:
    """A lazy or plain message in the API caller's language."""
    with force_locale(api_locale()):
        return str(message)


# The portal's words for what pydantic found wrong in a body, by pydantic's error type.
BODY_MESSAGES = {
    "missing": _l("Send this value; it is required."),
    "int_type": _l("Send a whole number here."),
    "string_type": _l("Send text here."),
    "dict_type": _l("Send an object here."),
    "model_type": _l("Send an object here."),
    "list_type": _l("Send a list here."),
    "extra_forbidden": _l("There is no such field here."),
}
CORRECT_THEM = _l("Some fields need correcting; see the messages beside them.")


def _body_message(error: ErrorDetails) -> Any:
    if error["type"] == "string_too_long":
        return _l("Send at most %(n)s characters here.", n=error.get("ctx", {}).get("max_length"))
    if error["type"] in ("literal_error", "enum"):
        return _l(
            "Use one of: %(allowed)s.", allowed=error.get("ctx", {}).get("expected", "").strip()
        )
    return BODY_MESSAGES.get(error["type"], _l("This value is not allowed here."))


def parse_body(model: type[B], *, optional: bool = False, messages: dict | None = None) -> B:
    """The JSON body as `model`; else 422 with every problem at once (bodies' models use
    strict types where "3" must not pass for 3).

    A problem is keyed by its field ('members-0-name' inside a list); `messages` may give a
    field a message of its own.
    """
    try:
        return model.model_validate(json_object(optional=optional))
    except ValidationError as err:
        problems: dict[str, Any] = {}
        for error in err.errors():
            key = "-".join(str(part) for part in error["loc"]) or "body"
            top = str(error["loc"][0]) if error["loc"] else ""
            problems.setdefault(key, (messages or {}).get(top) or _body_message(error))
        texts = {key: text(message) for key, message in problems.items()}
        raise ApiError(422, "invalid", CORRECT_THEM, problems=texts) from None


def answer(model: BaseModel, status: int = 200) -> Response:
    """The model as JSON; fields never set (a withheld rubric) are left out."""
    response = jsonify(model.model_dump(mode="json", exclude_unset=True))
    response.status_code = status
    return response


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one view, and where it is routed.

    `errors` describe refusals by status, in the `refusal` model's shape (else Error's).
    `extra` is raw OpenAPI merged into the operation (a file's body, a header parameter).
    """

    rule: str
    methods: tuple[str, ...]
    summary: str
    response: type[BaseModel] | None
    query: type[Query] | None = None
    body: type[BaseModel] | None = None
    body_optional: bool = False
    status: int = 200
    description: str = ""
    errors: dict[int, str] = field(default_factory=dict)
    refusal: type[BaseModel] | None = None
    path_ids: dict[str, str] = field(default_factory=dict)
    public: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# Every described view, in the order they were declared.
OPERATIONS: list[Operation] = []

View = TypeVar("View", bound=Callable[..., Any])


def operation(
    rule: str, summary: str, response: type[BaseModel] | None, **described: Any
) -> Callable[[View], View]:
    """Route a view on the API blueprint and describe it (the keywords are `Operation`'s).

    With `query`, the view gets the validated parameters as `query=`. A `body` is only
    described: the view reads it with `parse_body` once it knows the caller may act (so that
    a hidden record answers 404 whatever the body).
    """
    methods = tuple(described.pop("methods", ("GET",)))
    op = Operation(rule, methods, summary, response, **described)
    OPERATIONS.append(op)

    def decorate(view: View) -> View:
        @wraps(view)
        def validated(*args: Any, **kwargs: Any) -> Any:
            return view(*args, query=parse_query(cast(type[Query], op.query)), **kwargs)

        routed = validated if op.query else view
        if op.public:
            # A function attribute, read by auth.is_public, which no type of a view declares.
            routed.api_public = True  # type: ignore[union-attr]
        bp.add_url_rule(rule, view_func=routed, methods=list(methods))
        return cast(View, routed)

    return decorate


# --- the document ------------------------------------------------------------------------------


def ref(name: str) -> dict[str, Any]:
    return {"$ref": REF_TEMPLATE.format(model=name)}


def error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json(Error)}


class ErrorDetail(Answer):
    code: str = Field(examples=["unauthorized", "not_found"])
    message: str = Field(description="In the caller's language")
    parameter: str = Field(default="", description="The offending parameter")
    problems: dict[str, str] = Field(
        default_factory=dict, description="A body's problems at once, keyed by field"
    )


class Error(Answer):
    """Every refusal: `{"error": {"code": ..., "message": ...}}`."""

    error: ErrorDetail


UNAUTHORIZED = "No token, or an unknown or revoked one, or a disabled account"
INVALID = "A query parameter has a value outside what is allowed"


def _parameters(op: Operation, components: dict[str, Any]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [{"$ref": "#/components/parameters/lang"}]
    for name, what in op.path_ids.items():
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer"},
                "description": f"Id of the {what}",
            }
        )
    if op.query is None:
        return parameters
    schema = op.query.model_json_schema(ref_template=REF_TEMPLATE)
    components.update(schema.pop("$defs", {}))
    for name, prop in schema["properties"].items():
        branches = [b for b in prop.pop("anyOf", [prop]) if b.get("type") != "null"]
        description = prop.pop("description", "")
        prop.pop("title", None)
        if prop.get("default", 0) is None:
            del prop["default"]  # absent means no filter; null is not a value to send
        param_schema = {**branches[0], **prop} if len(branches) == 1 else {"anyOf": branches}
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": param_schema,
                "description": description,
            }
        )
    return parameters


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": ref(model.__name__)}}


def _operation(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": op.description or op.summary}
    if op.response is not None:
        ok["content"] = _json(op.response)
    responses: dict[str, Any] = {str(op.status): ok}
    if op.query is not None:
        responses["400"] = error_response(INVALID)
    if op.body is not None:
        responses["400"] = error_response("The body is not a JSON object")
        responses["422"] = {"description": "Every problem of the body, listed at once"}
    for status, description in op.errors.items():
        shape = op.refusal or Error  # a refusal model adds fields to Error's, all optional
        responses[str(status)] = {"description": description, "content": _json(shape)}
    if "422" in responses and "content" not in responses["422"]:
        responses["422"]["content"] = _json(op.refusal or Error)
    described: dict[str, Any] = {
        "summary": op.summary,
        "parameters": _parameters(op, components),
        "responses": responses,
    }
    if op.body is not None:
        described["requestBody"] = {"required": not op.body_optional, "content": _json(op.body)}
    for key, value in op.extra.items():
        if key == "parameters":
            described["parameters"] += value
        elif key == "responses":
            responses.update(value)
        else:
            described[key] = value
    if op.public:
        described["security"] = []
    else:
        responses["401"] = error_response(UNAUTHORIZED)
    return described


def _path(rule: str) -> str:
    """/api/v1/organizations/<int:organization_id> -> /api/v1/organizations/{organization_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def described_paths() -> tuple[dict[str, Any], dict[str, Any]]:
    """(paths, schemas) of every described view."""
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        for method in op.methods:
            path = _path(bp.url_prefix + op.rule if bp.url_prefix else op.rule)
            paths.setdefault(path, {})[method.lower()] = _operation(op, components)
    answers = {Error} | {m for op in OPERATIONS for m in (op.response, op.refusal) if m}
    bodies = {op.body for op in OPERATIONS if op.body is not None}
    _keys, schema = models_json_schema(
        [(m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)]
        + [(m, "validation") for m in sorted(bodies, key=lambda m: m.__name__)],
        ref_template=REF_TEMPLATE,
    )
    components.update(schema.get("$defs", {}))
    return paths, components
