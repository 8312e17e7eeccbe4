"""Refusals: why the portal said no, as a code with parameters, and what that says to the user.

A rule or a workflow guard answers `Refusal | None`; a service raises a DomainError carrying
the refusal; pages flash `render(refusal)` and the API answers `refusal.key` and the same
text. Every package adds its codes to the one registry from its own errors.py, as
'<namespace>.<key>' (for instance 'application.deadline_passed'), so a key such as
'not_allowed' or 'stale' can say what fits each domain. The messages' source text is
English; the catalogue translates it, so the words of a refusal are written once.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# A lazy string (`_l(...)`, with %(name)s placeholders for the refusal's parameters), or a
# function of the parameters for a message that must compute from them.
Message = LazyString | Callable[[Mapping[str, Any]], str]

_REGISTRY: dict[str, Message] = {}
_LOADED = False


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused: a registered code and the facts its message names."""

    code: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if "." not in self.code:
            raise ValueError(f"a refusal code is '<namespace>.<key>', not {self.code!r}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def namespace(self) -> str:
        return self.code.partition(".")[0]

    @property
    def key(self) -> str:
        """The code within its namespace: what the API answers as its error code."""
        return self.code.partition(".")[2]


def register(namespace: str, messages: Mapping[str, Message]) -> None:
    """Add a package's refusals to the registry as '<namespace>.<key>'."""
    for key, message in messages.items():
        code = f"{namespace}.{key}"
        if code in _REGISTRY and _REGISTRY[code] is not message:
            raise ValueError(f"the refusal {code} is registered twice")
        _REGISTRY[code] = message


def load_all() -> None:
    """Import every package's errors.py, so that each code is known wherever it was raised
    (a guard of one package may refuse a move of another before anything imported its
    messages)."""
    global _LOADED
    if _LOADED:
        return
    # The portal's directory, not `import portal`: the bottom never imports the app factory.
    for package in pkgutil.iter_modules([str(Path(__file__).parent)]):
        name = f"portal.{package.name}.errors"
        if package.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    _LOADED = True


def registered() -> Mapping[str, Message]:
    load_all()
    return MappingProxyType(_REGISTRY)


class _Params(dict):
    """Parameters for %-formatting; one a message names but the refusal lacks shows empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return "" if value is None else value


def render(refusal: Refusal) -> str:
    """The refusal in the current user's language (an unknown code reads as its namespace's
    'not_allowed')."""
    load_all()
    message = _REGISTRY.get(refusal.code) or _REGISTRY.get(f"{refusal.namespace}.not_allowed")
    if message is None:
        message = _REGISTRY["workflow.not_allowed"]
    if not isinstance(message, LazyString):
        return str(message(refusal.params))
    text = str(message)
    if "%(" not in text:
        return text
    return text % _Params({k: _shown(v) for k, v in refusal.params.items()})


class DomainError(Exception):
    """A refused action. Subclasses name their namespace; `XError('key', **params)` is
    `XError(Refusal('<namespace>.key', params))`, and a refusal of any namespace may be
    passed as it is (a guard of another package refusing a move of this one)."""

    namespace: ClassVar[str] = "workflow"

    def __init__(self, refusal: Refusal | str, **params: Any):
        if isinstance(refusal, str):
            refusal = Refusal(f"{self.namespace}.{refusal}", params)
        elif params:
            raise TypeError("parameters go into the Refusal")
        super().__init__(refusal.code)
        self.refusal = refusal

    @property
    def key(self) -> str:
        return self.refusal.key

    @property
    def params(self) -> Mapping[str, Any]:
        return self.refusal.params

    @property
    def message(self) -> str:
        return render(self.refusal)

    def __str__(self) -> str:
        try:
            return self.message
        except RuntimeError:  # outside the application (a log line): the code says enough
            return self.refusal.code


register(
    "workflow",
    {
        "not_allowed": _l("You are not allowed to do this."),
        "stale": _l(
            "Someone else changed this record since you opened it. Nothing was saved; "
            "reload the page and try again."
        ),
    },
)
