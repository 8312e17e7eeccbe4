"""The office's settings page, the unit's link, code and poster, what each role reads beside the
packet, and the office's exports."""

from __future__ import annotations

import io

import docx

from portal.accounts.models import Role
from portal.applications.service import submit_application
from portal.db import get_session
from portal.survey import service
from tests.applications.helpers import make_complete, open_campaign
from tests.factories import make_user
from tests.survey.helpers import answer_data, opened, send


def test_the_office_sets_up_the_survey_of_a_campaign(client, login):
    campaign = open_campaign()
    login(make_user(Role.OFFICE))
    url = f"/survey/campaigns/{campaign.id}"
    page = client.get(url).get_data(as_text=True)
    assert "attitude | 服务态度 | Service attitude" in page
    form = {
        "questions": "attitude | 服务态度 | Service attitude\noverall | 总体满意度 | Overall",
        "opens_at": "",
        "closes_at": "",
        "paper_batch_answers": "10",
        "address_limit_per_hour": "15",
        "survey_limit_per_minute": "40",
    }
    assert client.post(url, data=form).status_code == 302
    settings = service.settings_of(get_session(), campaign.id)
    assert [q["key"] for q in settings.questions] == ["attitude", "overall"]
    assert (settings.paper_batch_answers, settings.address_limit_per_hour) == (10, 15)


def test_the_settings_refuse_questions_without_the_overall_item(client, login):
    campaign = open_campaign()
    login(make_user(Role.OFFICE))
    form = {
        "questions": "attitude | 服务态度 | Service attitude",
        "paper_batch_answers": "0",
        "address_limit_per_hour": "15",
        "survey_limit_per_minute": "40",
    }
    response = client.post(f"/survey/campaigns/{campaign.id}", data=form)
    assert response.status_code == 200
    assert "Keep the overall satisfaction item" in response.get_data(as_text=True)
    assert service.settings_of(get_session(), campaign.id) is None


def test_the_unit_opens_its_survey_and_gets_link_code_and_poster(app, client, login):
    application = make_complete()
    from tests.survey.helpers import with_settings

    with_settings(application)
    login(application.created_by)
    response = client.post(
        f"/survey/packets/{application.id}/open", data={"opens": "09:00", "closes": "18:00"}
    )
    assert response.status_code == 302
    survey = service.survey_of(get_session(), application)
    assert len(survey.token) == 12 and (survey.opens_minute, survey.closes_minute) == (540, 1080)
    page = client.get(f"/survey/packets/{application.id}").get_data(as_text=True)
    assert f"/s/{survey.token}" in page
    png = client.get(f"/survey/packets/{application.id}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/survey/packets/{application.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    poster = docx.Document(
        io.BytesIO(client.get(f"/survey/packets/{application.id}/poster.docx").data)
    )
    text = "\n".join(p.text for p in poster.paragraphs)
    assert application.organization.name in text and application.title in text
    assert f"/s/{survey.token}" in text
    assert len(poster.inline_shapes) == 1  # the QR code


def test_another_unit_cannot_reach_the_survey_page(client, login):
    survey = opened()
    login(make_user(Role.ENTERPRISE))
    assert client.get(f"/survey/packets/{survey.application_id}").status_code == 404


def test_the_unit_sees_counts_but_not_the_flags_reviewers_see(app, client, login):
    survey = opened()
    for _ in range(5):
        send(app, survey, answer_data(seconds_ago=1), address="192.0.2.50")
    login(survey.application.created_by)
    own = client.get(f"/applications/{survey.application_id}").get_data(as_text=True)
    assert 'data-testid="survey-answers">5<' in own
    assert "192.0.2.50" not in own and "survey-flag-too_fast" not in own
    survey.application.category.min_surveys = 5
    submit_application(get_session(), survey.application_id, survey.application.created_by)
    login(make_user(Role.OFFICE))
    office = client.get(f"/applications/{survey.application_id}", follow_redirects=True)
    assert office.status_code == 200
    office = office.get_data(as_text=True)
    assert 'data-testid="survey-flag-too_fast"' in office and "192.0.2.50" in office


def test_the_office_exports_answers_as_inert_csv_and_a_word_summary(app, client, login):
    survey = opened()
    send(
        app,
        survey,
        answer_data(suggestion='=HYPERLINK("http://evil.example","x")', contact="13800138000"),
    )
    survey.application.category.min_surveys = 1
    submit_application(get_session(), survey.application_id, survey.application.created_by)
    login(make_user(Role.OFFICE))
    csv = client.get(f"/survey/packets/{survey.application_id}/answers.csv").data.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    assert "13800138000" in csv
    summary = client.get(f"/survey/packets/{survey.application_id}/summary.docx")
    document = docx.Document(io.BytesIO(summary.data))
    assert any("100.0%" in p.text for p in document.paragraphs)


def test_the_unit_cannot_export_its_answers(app, client, login):
    survey = opened()
    login(survey.application.created_by)
    assert client.get(f"/survey/packets/{survey.application_id}/answers.csv").status_code == 403


def test_the_survey_is_in_chinese_and_in_english_on_request(app):
    survey = opened()
    phone = app.test_client()
    phone.set_cookie("lang", "zh_Hans_CN", domain="portal.test")
    page = phone.get(f"/s/{survey.token}").get_data(as_text=True)
    assert "服务态度" in page and "很满意" in page and "Service attitude" not in page
    phone.set_cookie("lang", "en", domain="portal.test")
    page = phone.get(f"/s/{survey.token}").get_data(as_text=True)
    assert "Service attitude" in page and "Very satisfied" in page and "服务态度" not in page


def test_the_channel_reviewer_reads_the_flags_beside_the_submitted_packet(app, client, login):
    survey = opened()
    for _ in range(5):
        send(app, survey, answer_data(seconds_ago=1), address="192.0.2.60")
    survey.application.category.min_surveys = 5
    submit_application(get_session(), survey.application_id, survey.application.created_by)
    login(make_user(Role.CHANNEL_REVIEWER))
    page = client.get(f"/review/applications/{survey.application_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="survey-answers">5<' in text
    assert 'data-testid="survey-flag-same_address"' in text and "192.0.2.60" in text
    assert "When this version was submitted: 5 answers" in text
