"""A recursive-descent parser from tokens to a tree of tuples."""

from .lexer import tokenize


class Parser:
    """Parses `expr := term (('+'|'-') term)*`, `term := factor (('*'|'/') factor)*`."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        tok = self.peek()
        self.pos += 1
        return tok

    def expr(self):
        node = self.term()
        while self.peek() is not None and self.peek().value in ("+", "-"):
            node = (self.take().value, node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek() is not None and self.peek().value in ("*", "/"):
            node = (self.take().value, node, self.factor())
        return node

    def factor(self):
        tok = self.take()
        if tok is None:
            raise ValueError("unexpected end of expression")
        if tok.kind == "number":
            return tok.value
        if tok.value == "(":
            node = self.expr()
            self.take()  # the closing parenthesis
            return node
        raise ValueError(f"unexpected {tok.value!r}")


def parse(text):
    """Returns the tree of `text`."""
    return Parser(tokenize(text)).expr()
