"""A safeguarding guidance assistant: answers practitioners' questions from LSCB learning bulletins."""

__version__ = "0.1.0"
