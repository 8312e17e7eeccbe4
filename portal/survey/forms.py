"""Forms: the office's survey settings, the unit's opening hours, and the customer's answer."""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.campaigns.forms import BeijingDateTimeField
from portal.inputs import WholeNumberField
from portal.survey.batches import MAX_COUNT as MAX_BATCH_COUNT
from portal.survey.questions import OVERALL, SCALE, question_text
from portal.survey.service import CONTACT_CHARS, SUGGESTION_CHARS

_KEY = re.compile(r"[a-z][a-z0-9_]{0,19}")
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
MAX_QUESTIONS = 15


def questions_text(questions: list[dict]) -> str:
    return "\n".join(f"{q['key']} | {q['zh']} | {q.get('en', '')}" for q in questions)


def parse_questions(text: str) -> list[dict]:
    """'key | 中文 | English' per line; raises ValueError with the user's message."""
    questions, keys = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not _KEY.fullmatch(parts[0]) or not parts[1] or len(line) > 200:
            raise ValueError(_l("Line %(n)s: write key | 中文 | English.", n=number))
        if parts[0] in keys:
            raise ValueError(_l("Line %(n)s: the key is used twice.", n=number))
        keys.add(parts[0])
        questions.append({"key": parts[0], "zh": parts[1], "en": parts[2]})
    if OVERALL not in keys:
        raise ValueError(_l("Keep the overall satisfaction item (key “overall”)."))
    if len(questions) > MAX_QUESTIONS:
        raise ValueError(_l("At most %(n)s items.", n=MAX_QUESTIONS))
    return questions


class SettingsForm(FlaskForm):
    questions = TextAreaField(
        _l("Five-point items, one a line: key | 中文 | English"), validators=[InputRequired()]
    )
    opens_at = BeijingDateTimeField(
        _l("Answers count from (Beijing time)"), validators=[Optional()]
    )
    closes_at = BeijingDateTimeField(
        _l("Answers count until (Beijing time; empty: the application deadline)"),
        validators=[Optional()],
    )
    paper_batch_answers = WholeNumberField(
        _l(
            "A scanned paper batch counts for at most this many answers, as many as the "
            "reviewer counts in it (0: paper cannot stand in)"
        ),
        validators=[InputRequired(), NumberRange(0, 1000)],
    )
    address_limit_per_hour = WholeNumberField(
        _l("Answers per address and survey per hour"),
        validators=[InputRequired(), NumberRange(1, 100000)],
    )
    survey_limit_per_minute = WholeNumberField(
        _l("Answers per survey per minute"), validators=[InputRequired(), NumberRange(1, 100000)]
    )

    def validate_questions(self, field) -> None:
        try:
            parse_questions(field.data)
        except ValueError as err:
            raise ValidationError(str(err.args[0])) from None

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The end must come after the start."))

    def values(self) -> dict:
        names = (
            "opens_at",
            "closes_at",
            "paper_batch_answers",
            "address_limit_per_hour",
            "survey_limit_per_minute",
        )
        values = {name: getattr(self, name).data for name in names}
        values["questions"] = parse_questions(self.questions.data)
        return values


def _time(form, field) -> None:
    if not _TIME.fullmatch(field.data or ""):
        raise ValidationError(_l("Enter a time as HH:MM, for example 08:30."))


def minutes(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class OpenSurveyForm(FlaskForm):
    opens = StringField(_l("The service window opens at"), validators=[InputRequired(), _time])
    closes = StringField(_l("and closes at"), validators=[InputRequired(), _time])


def _printable(text: str | None) -> str:
    """Free text without the NUL and other control characters no database column stores."""
    return "".join(c for c in (text or "") if c in "\n\t" or c >= " ").strip()


class AnswerBase(FlaskForm):
    recommend = RadioField(
        _l("Would you recommend this service to others?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[Optional()],
    )
    suggestion = TextAreaField(
        _l("Suggestions (optional)"),
        validators=[Optional(), Length(max=SUGGESTION_CHARS)],
        filters=[_printable],
    )
    contact = StringField(
        _l("Contact (optional, seen only by the programme office)"),
        validators=[Optional(), Length(max=CONTACT_CHARS)],
        filters=[_printable],
    )
    # Labelled, if only with nothing: an unlabelled field loads WTForms' own catalogue to name
    # itself on every request.
    started = HiddenField("")


def answer_form(questions: list[dict], language: str) -> AnswerBase:
    """The customer's form: one five-point item per question, then the fixed questions."""
    return _answer_form_class(tuple((q["key"], question_text(q, language)) for q in questions))()


@lru_cache(maxsize=64)
def _answer_form_class(items: tuple[tuple[str, str], ...]) -> type[AnswerBase]:
    """The form class of one survey's items (key, text) in one language, made once: the answer
    page is the portal's busiest public path."""

    class AnswerForm(AnswerBase):
        pass

    choices = [SelectChoice(str(value), text) for value, text in SCALE]
    for key, text in items:
        field = RadioField(
            text, choices=choices, validators=[InputRequired(_l("Choose one answer."))]
        )
        setattr(AnswerForm, f"q_{key}", field)
    return AnswerForm


def item_fields(form: AnswerBase, questions: list[dict]) -> list:
    return [getattr(form, f"q_{q['key']}") for q in questions]


def scores(form: AnswerBase, questions: list[dict]) -> dict[str, int]:
    return {q["key"]: int(getattr(form, f"q_{q['key']}").data) for q in questions}


class BatchCountForm(FlaskForm):
    """A reviewer's count of the filled-in surveys in one scanned batch (one form a batch)."""

    counted = WholeNumberField(
        _l("Filled-in surveys counted"),
        validators=[InputRequired(), NumberRange(0, MAX_BATCH_COUNT)],
    )
