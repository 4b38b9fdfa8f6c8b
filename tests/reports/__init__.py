"""Tests of report charts, HTML, PDF and workbooks."""
