"""Resampling a TimeSeries to a coarser time step."""

from .core import TimeSeries


def resample(ts, step):
    """Average every `step` consecutive rows into one."""
    if step < 1:
        raise ValueError(f"step must be at least 1, got {step}")
    n = len(ts) // step
    time = [ts["time"][i * step] for i in range(n)]
    columns = {}
    for name in ts.columns[1:]:
        v = ts[name]
        columns[name] = [sum(v[i * step:(i + 1) * step]) / step
                         for i in range(n)]
    return TimeSeries(time=time, columns=columns)
