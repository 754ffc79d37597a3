"""Turning results into text, JSON, CSV and (``report.charts``) pictures."""
