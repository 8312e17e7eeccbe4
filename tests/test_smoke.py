from portal.accounts.models import Role
from tests.factories import make_campaign, make_user


def test_login_leads_to_role_home_page(client, login):
    make_campaign()
    user = make_user(Role.OFFICE, name="王办公")
    login(user)
    page = client.get("/home").get_data(as_text=True)
    assert "王办公" in page
    assert "办公室" in page or "Programme office" in page
