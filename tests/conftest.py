"""Suite-wide settings: keep the slow, stateful groups on one xdist worker each."""

import pytest

# Registered once here: a session fixture imported into several modules would be one
# fixture per module, and a second live Playwright session in the same worker fails.
pytest_plugins = ["browser_fixtures"]

# A browser test shares one JupyterLab server per worker, a grading test one
# generated course per quiz, a Binder test one built environment: grouping keeps
# each on a single worker, so none is built twice (the hub tests, too, run on one).
_GROUPED_MARKERS = ("browser", "grading", "binder", "hub")


def pytest_collection_modifyitems(items):
    for item in items:
        for marker in _GROUPED_MARKERS:
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(marker))
                break
