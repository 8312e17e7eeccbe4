"""The certificate names the title once: a team's reads “…班组” without a repeated （班组）."""

from __future__ import annotations

import io

from docx import Document

from portal.campaigns.models import CategoryKind
from portal.honours import certificates
from portal.honours.documents.certificate import render_certificate
from tests.honours.helpers import four_organizers, make_honour


def _body(session, honour) -> str:
    names = certificates.organizer_names(session)
    data = certificates.certificate_data(honour, names, lambda c: f"https://portal.test/v?c={c}")
    _name, _type, content = render_certificate(data)
    return next(p.text for p in Document(io.BytesIO(content)).paragraphs if "特发此证" in p.text)


def test_a_team_certificate_names_its_title_once(session):
    four_organizers()
    honour = make_honour(kind=CategoryKind.TEAM)
    body = _body(session, honour)
    assert f"被评为{honour.campaign.year}年度“用户满意服务明星班组”，特发此证。" in body
    assert "（班组）" not in body


def test_an_individual_certificate_says_it_is_an_individual_title(session):
    four_organizers()
    honour = make_honour(kind=CategoryKind.INDIVIDUAL)
    body = _body(session, honour)
    assert f"被评为{honour.campaign.year}年度“用户满意服务明星”（个人），特发此证。" in body
