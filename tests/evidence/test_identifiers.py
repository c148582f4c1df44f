"""Identifier warnings: true and false cases, worked by hand."""

import pytest

from academy.evidence.identifiers import find_identifiers, nhs_number_is_valid


def test_nhs_check_digit_by_hand():
    # 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11 - 2 = 9 = last digit.
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")  # wrong check digit
    # 401 023 2137: 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 % 11 = 4; 11 - 4 = 7.
    assert nhs_number_is_valid("4010232137")
    # 123 456 7890: 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210; 210 % 11 = 1; 11 - 1 = 10: never valid.
    assert not nhs_number_is_valid("1234567890")


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Her NHS number is 943 476 5919 on file.", "nhs_number", "943 476 5919"),
        ("ref 9434765919", "nhs_number", "9434765919"),
        ("Child A, DOB 12/03/2015, lives with mum.", "date_of_birth", "12/03/2015"),
        ("He was born 3 March 2015 in hospital.", "date_of_birth", "3 March 2015"),
        ("Date of birth: 3rd of March 2015", "date_of_birth", "3rd of March 2015"),
        ("D.O.B. March 3, 2015", "date_of_birth", "March 3, 2015"),
        ("We visited the flat at SW1A 1AA last week.", "postcode", "SW1A 1AA"),
        ("The school is in m1 1ae.", "postcode", "m1 1ae"),
        ("Office: EC1A1BB", "postcode", "EC1A1BB"),
    ],
)
def test_identifiers_found(text, kind, found):
    warnings = find_identifiers(text)
    assert [(w.kind, w.found) for w in warnings] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "Phone 0123 456 7890 is the duty line.",  # ten digits, check digit 10: not an NHS number
        "Case 943 476 5918 closed.",  # check digit wrong
        "The visit on 12/03/2025 went well.",  # a date, but not introduced as a birth date
        "We met in the E14 area and the SW1A district.",  # outward codes only
        "Recorded in line with KSS 1 and PCF 3.",
        "Session lasted 1 hour 30 minutes; born out of a wish to help.",
    ],
)
def test_no_false_alarms(text):
    assert find_identifiers(text) == []


def test_where_is_shown():
    text = "First line is fine.\nSecond line mentions DOB 01/02/2016 for the child."
    (warning,) = find_identifiers(text)
    assert warning.line == 2
    assert "DOB 01/02/2016" in warning.excerpt
    assert warning.message.startswith("Line 2 seems to contain a date of birth")
