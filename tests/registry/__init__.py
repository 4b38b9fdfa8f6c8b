"""Tests of the registry: the INDIGO import and its data-quality report (SQLite and PostgreSQL)."""
