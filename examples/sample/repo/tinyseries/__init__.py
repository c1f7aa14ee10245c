"""tinyseries: a tiny time-series container with CSV input and output."""

from .core import TimeSeries
from .io import read_csv, write_csv
from .resample import resample

__all__ = ["TimeSeries", "read_csv", "write_csv", "resample"]
