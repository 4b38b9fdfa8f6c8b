"""Tests of the store: engines, migrations, backups (SQLite and PostgreSQL)."""
