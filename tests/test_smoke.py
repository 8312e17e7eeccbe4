from portal.accounts.models import Role
from tests.factories import make_campaign, make_user


def test_login_leads_to_role_home_page(client, login):
    make_campaign()
    user = make_user(Role.OFFICE, name="王办公")
    login(user)
    page = client.get("/home").get_data(as_text=True)
    assert "王办公" in page
    assert "办公室" in page or "Programme office" in page


def test_the_start_page_leads_anonymous_visitors_to_every_public_page(client):
    page = client.get("/").get_data(as_text=True)
    for path in ("/notice", "/notice/objections/status", "/honours", "/honours/revoked"):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200
    assert 'href="/honours/verify"' in page
