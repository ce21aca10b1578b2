"""Figures across reports: the indicator table (one row per printed figure, with its indicator, province,
period and qualifiers) and the consistency checks that read it (`baocao check`)."""

from rag.figures.check import Finding, check, check_index
from rag.figures.table import FigureRow, figure_rows, load_rows

__all__ = ["FigureRow", "Finding", "check", "check_index", "figure_rows", "load_rows"]
