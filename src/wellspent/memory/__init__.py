"""Institutional memory (issue 6): decisions, lessons, evaluations and reviews as Markdown files with YAML front
matter (``wellspent: memory/1``), stored versioned in the database, never silently lost.

- :mod:`wellspent.memory.model` — the front matter (pydantic);
- :mod:`wellspent.memory.files` — read and write the Markdown files;
- :mod:`wellspent.memory.service` — add, import, export, show, history, delete, search.
"""
