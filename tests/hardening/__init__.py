"""Helpers for tests/test_hardening.py: run the real server as a subprocess, and search files for planted text."""
