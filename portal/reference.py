"""Default reference data: the example city's districts and the programme's industries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.organizations.models import District, Industry

DISTRICTS = [
    ("huangpu", "黄浦区", "Huangpu"),
    ("xuhui", "徐汇区", "Xuhui"),
    ("changning", "长宁区", "Changning"),
    ("jingan", "静安区", "Jing'an"),
    ("putuo", "普陀区", "Putuo"),
    ("hongkou", "虹口区", "Hongkou"),
    ("yangpu", "杨浦区", "Yangpu"),
    ("minhang", "闵行区", "Minhang"),
    ("baoshan", "宝山区", "Baoshan"),
    ("jiading", "嘉定区", "Jiading"),
    ("pudong", "浦东新区", "Pudong New Area"),
    ("jinshan", "金山区", "Jinshan"),
    ("songjiang", "松江区", "Songjiang"),
    ("qingpu", "青浦区", "Qingpu"),
    ("fengxian", "奉贤区", "Fengxian"),
    ("chongming", "崇明区", "Chongming"),
]

INDUSTRIES = [
    ("commerce", "商业", "Commerce"),
    ("tourism", "旅游", "Tourism"),
    ("catering", "餐饮", "Catering"),
    ("hotels", "宾馆", "Hotels"),
    ("finance", "金融", "Finance"),
    ("railway", "铁路", "Railway"),
    ("aviation", "航空", "Aviation"),
    ("transit", "公共交通", "Public transit"),
    ("telecom", "邮电通讯", "Post and telecom"),
    ("health", "医疗卫生", "Healthcare"),
    ("utilities", "公用事业", "Utilities"),
    ("city_ops", "城市运行", "City operations"),
    ("transport", "交通运输", "Transport"),
    ("general", "综合服务", "General services"),
    ("culture", "文化娱乐", "Culture and entertainment"),
    ("public", "公共服务", "Public services"),
]


def seed_reference(session: Session) -> None:
    """Insert the default districts and industries that are not there yet (idempotent)."""
    for model, rows in ((District, DISTRICTS), (Industry, INDUSTRIES)):
        have = set(session.scalars(sa.select(model.code)))
        for position, (code, zh, en) in enumerate(rows):
            if code not in have:
                session.add(model(code=code, name_zh=zh, name_en=en, position=position))
    session.flush()
