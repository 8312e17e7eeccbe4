"""The national-standard checks: credit code (GB 32100), resident ID (GB 11643), mobile."""

from __future__ import annotations

from datetime import date

import pytest

from portal.checks import (
    age_on,
    credit_code_problem,
    is_mobile,
    mask_id_number,
    mask_mobile,
    parse_resident_id,
)

# The standard's own alphabet and weights, written out again here so that the tests do not
# borrow the code under test to build their expectations.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _weighted_sum(body: str, value_of) -> int:
    return sum(value_of(c) * w for c, w in zip(body, WEIGHTS, strict=True))


def _ord55(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55


# --- unified social credit code ---------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q"])
def test_published_credit_codes_are_valid(code):
    assert credit_code_problem(code) is None


def test_lower_case_and_surrounding_spaces_are_accepted_after_normalisation():
    assert credit_code_problem(" 91350100m000100y43 ") is None


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4Q", "91110108551385082P"])
def test_wrong_check_character_is_reported_as_check(code):
    assert credit_code_problem(code) == "check"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_standard_alphabet_are_refused(letter):
    code = "91350100" + letter + "000100Y43"
    assert len(code) == 18
    assert credit_code_problem(code) == "characters"


@pytest.mark.parametrize(
    "code", ["", "91350100M000100Y4", "91350100M000100Y430", "9135 0100M000100Y43"]
)
def test_wrong_length_is_reported_as_length(code):
    assert credit_code_problem(code) == "length"


def test_punctuation_inside_the_code_is_refused_as_characters():
    assert credit_code_problem("91350100-000100Y43") == "characters"


def test_letters_in_the_body_take_their_alphabet_index_not_ord_minus_55():
    body = "91310000MA1FL8TQ2"
    right = ALPHABET[(31 - _weighted_sum(body, ALPHABET.index) % 31) % 31]
    buggy = ALPHABET[(31 - _weighted_sum(body, _ord55) % 31) % 31]
    assert (right, buggy) == ("3", "9")  # the bug would give another check character
    assert credit_code_problem(body + right) is None
    assert credit_code_problem(body + buggy) == "check"
    # The published example has letters in its body too (M, Y).
    assert ALPHABET[(31 - _weighted_sum("91350100M000100Y4", _ord55) % 31) % 31] != "3"


@pytest.mark.parametrize("body", ["91310000000000011", "9131000MA00000001"])
def test_check_index_31_becomes_0(body):
    assert _weighted_sum(body, ALPHABET.index) % 31 == 0  # 31 - 0 = 31: must wrap to index 0
    assert credit_code_problem(body + "0") is None
    assert credit_code_problem(body + "1") == "check"


# --- resident ID number ---------------------------------------------------------------


def test_valid_resident_id_gives_birth_date_and_sex():
    parsed = parse_resident_id("11010519491231002X", today=date(2026, 11, 1))
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.female is True
    assert parsed.number == "11010519491231002X"


def test_lower_case_x_is_accepted():
    parsed = parse_resident_id("11010519491231002x", today=date(2026, 11, 1))
    assert parsed.number == "11010519491231002X"


def test_wrong_check_digit_is_refused():
    assert parse_resident_id("110105194912310021", today=date(2026, 11, 1)) == "check"


def _with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_seventeenth_digit_odd_means_male_even_means_female():
    male = parse_resident_id(_with_check("31010419850704001"), today=date(2026, 1, 1))
    female = parse_resident_id(_with_check("31010419850704002"), today=date(2026, 1, 1))
    assert (male.female, female.female) == (False, True)
    assert male.birth_date == date(1985, 7, 4)


def test_impossible_birth_date_is_refused():
    assert parse_resident_id(_with_check("31010419850230001")) == "date"
    assert parse_resident_id(_with_check("31010419851301001")) == "date"


def test_birth_date_in_the_future_is_refused():
    number = _with_check("31010420270101001")
    assert parse_resident_id(number, today=date(2026, 12, 31)) == "date"
    assert parse_resident_id(number, today=date(2027, 1, 1)).birth_date == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("number", "problem"),
    [("1101051949123100", "length"), ("11010519491231002Y", "characters")],
)
def test_malformed_resident_ids(number, problem):
    assert parse_resident_id(number) == problem


def test_age_on_a_date_counts_whole_years():
    parsed = parse_resident_id(_with_check("31010419850704001"), today=date(2026, 1, 1))
    assert parsed.age_on(date(2025, 7, 3)) == 39
    assert parsed.age_on(date(2025, 7, 4)) == 40
    assert age_on(date(2000, 2, 29), date(2001, 2, 28)) == 0
    assert age_on(date(2000, 2, 29), date(2001, 3, 1)) == 1


def test_masking_keeps_only_the_ends():
    assert mask_id_number("31010419850704001x") == "3101**********001X"
    assert mask_mobile("13812345678") == "138****5678"


# --- mobile numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["13812345678", "19900000000", " 15012345678 "])
def test_valid_mobiles(value):
    assert is_mobile(value) is True


@pytest.mark.parametrize(
    "value", ["", "23812345678", "1381234567", "138123456789", "1381234567a", "+8613812345678"]
)
def test_invalid_mobiles(value):
    assert is_mobile(value) is False
