"""The TimeSeries container: named columns aligned on a time column.

A TimeSeries always starts with its `time` column. Subclasses and users may
declare further required columns; every change to the columns checks that
they are still there, in order.
"""


class TimeSeries:
    """A table of columns that share one `time` axis."""

    #: Columns that must come first, in this order.
    required_columns = ["time"]

    def __init__(self, time, columns=None):
        self._data = {"time": list(time)}
        for name, values in (columns or {}).items():
            self.add_column(name, values)

    @property
    def columns(self):
        """The column names, `time` first."""
        return list(self._data)

    def __len__(self):
        return len(self._data["time"])

    def __getitem__(self, name):
        return self._data[name]

    def add_column(self, name, values):
        """Append a column; it must have one value per time."""
        values = list(values)
        if len(values) != len(self):
            raise ValueError(
                f"column '{name}' has {len(values)} values, "
                f"expected {len(self)}")
        self._data[name] = values
        self._check_required_columns()

    def remove_column(self, name):
        """Remove a column by name."""
        if name not in self._data:
            raise KeyError(f"no column named '{name}'")
        del self._data[name]
        self._check_required_columns()

    def _check_required_columns(self):
        """Raise ValueError when the required columns are not first."""
        required = self.required_columns
        present = self.columns[:len(required)]
        if present != required:
            raise ValueError(
                f"{type(self).__name__} object is invalid - expected "
                f"'{required[0]}' as the first columns but found "
                f"'{present[0] if present else None}'")
