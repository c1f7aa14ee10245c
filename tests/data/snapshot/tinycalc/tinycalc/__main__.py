"""Command line: tinycalc EXPRESSION."""

import sys

from .evaluate import evaluate


def main():
    print(evaluate(" ".join(sys.argv[1:])))


if __name__ == "__main__":
    main()
