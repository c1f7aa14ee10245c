"""Tests of tinyseries.core.TimeSeries."""

import unittest

from tinyseries.core import TimeSeries


class TimeSeriesTest(unittest.TestCase):
    def test_columns_start_with_time(self):
        ts = TimeSeries(time=[0, 1], columns={"flux": [1.0, 2.0]})
        self.assertEqual(ts.columns, ["time", "flux"])

    def test_add_column_checks_length(self):
        ts = TimeSeries(time=[0, 1])
        with self.assertRaises(ValueError):
            ts.add_column("flux", [1.0])

    def test_remove_optional_column(self):
        ts = TimeSeries(time=[0, 1], columns={"flux": [1.0, 2.0]})
        ts.remove_column("flux")
        self.assertEqual(ts.columns, ["time"])

    def test_removing_time_is_refused(self):
        ts = TimeSeries(time=[0, 1], columns={"flux": [1.0, 2.0]})
        with self.assertRaises(ValueError):
            ts.remove_column("time")


if __name__ == "__main__":
    unittest.main()
