"""nbgrader's markers for what the student must never see, written once for the course."""

import re

HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
"""A hidden-test block of a test cell; group 1 is its code."""

SECRET_REGION = re.compile(
    r"(?:BEGIN HIDDEN TESTS|BEGIN MARK SCHEME)(.*?)(?:END HIDDEN TESTS|END MARK SCHEME)", re.S
)
"""A hidden-test block or a mark scheme; group 1 is what it hides."""

SECRET_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN MARK SCHEME", "END MARK SCHEME")
"""Words that must never reach a student's notebook or feedback."""
