"""Browser tests (Playwright + Debian chromium); a package so its conftest does not shadow tests/conftest.py."""
