"""Tests of tinyseries.io."""

import os
import tempfile
import unittest

from tinyseries import TimeSeries, read_csv, write_csv


class CsvTest(unittest.TestCase):
    def test_round_trip(self):
        ts = TimeSeries(time=[0.0, 1.0], columns={"flux": [1.0, 2.0]})
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "ts.csv")
            write_csv(ts, path)
            back = read_csv(path)
        self.assertEqual(back.columns, ["time", "flux"])
        self.assertEqual(back["flux"], [1.0, 2.0])


if __name__ == "__main__":
    unittest.main()
