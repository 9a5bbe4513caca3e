"""Instructor and developer tools shared by scripts, benchmarks and tests."""
