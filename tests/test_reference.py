"""Default districts and industries load once, whatever the number of runs."""

import sqlalchemy as sa

from portal.organizations.models import District, Industry
from portal.reference import DISTRICTS, INDUSTRIES


def test_load_reference_command_is_repeatable(app, session):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["load-reference"])
        assert result.exit_code == 0, result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(District)) == len(DISTRICTS) == 16
    assert session.scalar(sa.select(sa.func.count()).select_from(Industry)) == len(INDUSTRIES) == 16
    names = session.scalars(sa.select(District.name_zh).order_by(District.position)).all()
    assert names[0] == "黄浦区" and names[-1] == "崇明区"
