"""Reading and writing TimeSeries as CSV files."""

import csv

from .core import TimeSeries


def read_csv(path):
    """Read a CSV file whose first column is `time`."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    if not header or header[0] != "time":
        raise ValueError(f"{path}: the first column must be 'time'")
    cols = list(zip(*body)) if body else [[] for _ in header]
    columns = {name: [float(v) for v in cols[i]]
               for i, name in enumerate(header) if i > 0}
    return TimeSeries(time=[float(v) for v in cols[0]], columns=columns)


def write_csv(ts, path):
    """Write a TimeSeries to a CSV file, `time` first."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(ts.columns)
        for i in range(len(ts)):
            w.writerow([ts[c][i] for c in ts.columns])
