"""Splits an expression into tokens."""


class Token:
    """One token: a number or an operator."""

    def __init__(self, kind, value):
        self.kind = kind
        self.value = value

    def __repr__(self):
        return f"Token({self.kind!r}, {self.value!r})"


def tokenize(text):
    """Returns the tokens of `text`; raises ValueError on a stray character."""
    tokens = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            tokens.append(Token("number", int(text[i:j])))
            i = j
        elif c in "+-*/()":
            tokens.append(Token("op", c))
            i += 1
        else:
            raise ValueError(f"unexpected character {c!r} at {i}")
    return tokens
