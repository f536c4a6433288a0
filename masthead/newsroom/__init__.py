"""The newsroom: the staff's own pages (dashboard, posts, people, publication settings).

It sits at the top of the app layers (pyproject's import-linter contract): it may import
every other app, and none imports it.
"""
