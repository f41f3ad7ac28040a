"""Ticket numbers as people type them back (tickets.labels.parse_ticket_label)."""

import pytest

from tickets.labels import parse_ticket_label, ticket_label


@pytest.mark.parametrize(
    "text",
    ["JH-0042", "jh-42", "Jh-0042", "#42", "42", "0042", " JH-0042 ", "#JH-0042", "JH-42"],
)
def test_the_forms_of_a_number_of_this_compound(text):
    assert parse_ticket_label(text, "JH") == 42


def test_the_compound_code_is_read_without_regard_to_case():
    assert parse_ticket_label("JH-0042", "jh") == 42


@pytest.mark.parametrize("text", ["TF-0042", "tf-42", "XJH-0042", "J-42", "-42", "#TF-42"])
def test_another_compounds_number_gives_none(text):
    assert parse_ticket_label(text, "JH") is None


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "JH-0000",
        "abc",
        "",
        "   ",
        "#",
        "JH-",
        "JH-abc",
        "JH-4a",
        "4.2",
        "-",
        "JH--42",
        "1000000000",  # 10**9: beyond any compound's numbers
        "²",  # a superscript digit: str.isdigit() says yes, int() refuses it
        "JH-4²",
    ],
)
def test_what_is_not_a_number_gives_none(text):
    assert parse_ticket_label(text, "JH") is None


@pytest.mark.parametrize("number", [1, 42, 9999, 12345])
def test_a_label_reads_back_as_its_number(number):
    assert parse_ticket_label(ticket_label("JH", number), "JH") == number
    assert parse_ticket_label(ticket_label("TF", number), "JH") is None
