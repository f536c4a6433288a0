"""Masthead: a self-hosted publication platform with built-in AI tools."""

__version__ = "0.1.0"
