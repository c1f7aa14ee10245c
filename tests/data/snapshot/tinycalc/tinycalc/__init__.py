"""tinycalc: evaluate arithmetic expressions."""

from .evaluate import evaluate

__all__ = ["evaluate"]
