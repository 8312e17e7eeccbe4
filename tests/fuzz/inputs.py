"""What the fuzz tier sends: hostile text values, and the forms a page really renders.

Forms are read from the HTML the portal serves (fields, hidden fields, select options), so a
field added to a template is fuzzed without editing the tests.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import strategies as st

# Digits of other scripts pass str.isdigit() but not int(): ² ³ ¹ ① and full-width ４.
ODD_DIGITS = "0123456789²³¹①⑳４٣߂〇一-+ .e_"
UNICODE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


def hostile_text() -> st.SearchStrategy[str]:
    """Empty, odd, huge, numeric-looking and plain Unicode values, as a browser could send."""
    return st.one_of(
        st.just(""),
        UNICODE_TEXT,
        st.text(ODD_DIGITS, min_size=1, max_size=24),
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["0", "-1", "1e9", "NaN", "null", "%", "%zz", "../..", "\x00", " "]),
        st.dates().map(str),
        st.integers(1, 40_000).map(lambda n: "字" * n),
    )


def upload() -> st.SearchStrategy[tuple]:
    """A file as the test client posts it: content, and a name that may be odd or empty."""
    names = st.one_of(
        st.sampled_from(["a.pdf", "scan.jpg", "表.docx", "", ".", "..", "a" * 300 + ".pdf"]),
        UNICODE_TEXT.map(lambda t: t + ".pdf"),
    )
    content = st.one_of(
        st.binary(max_size=2048),
        st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04", b"\xff\xd8\xff\xe0"]),
    )
    return st.builds(lambda data, name: (io.BytesIO(data), name), content, names)


@dataclass
class Field:
    name: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    kind: str = "text"


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append(Form(urlsplit(a.get("action") or self.page).path))
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "image", "reset"):
            self._add(Field(a["name"], a.get("value", ""), kind=a.get("type", "text")), a)
        elif tag == "textarea":
            self._add(Field(a["name"], kind="textarea"), a)
        elif tag == "select":
            self._select = self._add(Field(a["name"], kind="select"), a)
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def _add(self, new: Field, attrs: dict) -> Field:
        fields = self.forms[-1].fields
        known = fields.setdefault(new.name, new)
        if new.kind in ("radio", "checkbox"):
            known.options.append(new.value)
            if "checked" in attrs:
                known.value = new.value
        return known


def forms_on(html: str, page: str) -> dict[str, Form]:
    """The page's POST forms by action path (CSRF token fields are left out)."""
    parser = _FormParser(page)
    parser.feed(html)
    forms: dict[str, Form] = {}
    for form in parser.forms:
        form.fields.pop("csrf_token", None)
        forms.setdefault(form.action, form)
    return forms


def field_values(form: Form) -> st.SearchStrategy[dict]:
    """For each field: left out, its rendered value or option, or a hostile value."""
    values = {}
    for f in form.fields.values():
        if f.kind == "file":
            values[f.name] = st.one_of(st.none(), upload())
            continue
        choices = [st.just(f.value), hostile_text()]
        if f.options:
            choices.append(st.sampled_from(f.options))
        values[f.name] = st.one_of(st.none(), *choices)
    return st.fixed_dictionaries(values).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def links(html: str, pattern: str) -> list[str]:
    """Distinct hrefs of the page matching `pattern` (a regular expression), in page order."""
    found = re.findall(r'href="(' + pattern + r')"', html)
    return list(dict.fromkeys(found))
