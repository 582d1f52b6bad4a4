"""The cell formatting the Insights page shares with every insights export (suppressed marker,
percentages, intervals), so that the view and the CSV, XLSX, JSON and PDF files always agree.
The GUI reaches it here, through the services, never through the file formats themselves."""

from __future__ import annotations

from app.exchange.insights_export import format_value, indicator_header, indicator_rows, suppressed_marker

__all__ = ["format_value", "indicator_header", "indicator_rows", "suppressed_marker"]
