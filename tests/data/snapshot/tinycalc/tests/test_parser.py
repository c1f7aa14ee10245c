from tinycalc import evaluate
from tinycalc.parser import parse


def test_precedence():
    assert evaluate("1 + 2 * 3") == 7


def test_parentheses():
    assert parse("(1 + 2) * 3") == ("*", ("+", 1, 2), 3)
