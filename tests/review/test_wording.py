"""One act, one word: a channel stage's forwarding is 转报 wherever it is named (the button, the
state, the confirmation and the enterprise's mail); 报送 stays for filing with the office."""

from __future__ import annotations

from flask_babel import force_locale, gettext


def _zh(app, message: str, **params) -> str:
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        return gettext(message, **params)


def test_forwarding_is_named_the_same_everywhere(app):
    forwarding = [
        _zh(app, "Forward"),
        _zh(app, "Forwarded"),
        _zh(app, "Your decision is recorded: forwarded."),
        _zh(app, "Your application “%(title)s” was forwarded", title="外滩服务班组"),
    ]
    assert forwarding[:2] == ["转报", "已转报"]
    assert forwarding[2] == "处理意见已记录：转报。"
    assert forwarding[3] == "您的申报“外滩服务班组”已转报"
    assert "报送" in _zh(app, "Submit to the programme office")
