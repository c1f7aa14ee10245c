"""Evaluates a parsed expression."""

from .parser import parse

OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def evaluate_tree(node):
    """Evaluates a tree made by tinycalc.parser.parse."""
    if isinstance(node, int):
        return node
    op, left, right = node
    return OPERATORS[op](evaluate_tree(left), evaluate_tree(right))


def evaluate(text):
    """Evaluates an expression: evaluate("1 + 2 * 3") == 7."""
    return evaluate_tree(parse(text))
