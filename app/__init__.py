"""Likvärd: equal-opportunity checklists for credit and business advice."""

__version__ = "0.1.0"
