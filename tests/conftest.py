"""Suite-wide settings: keep the slow, stateful groups on one xdist worker each."""

import pytest

# A browser test shares one JupyterLab server per worker, and a grading test one
# generated course per quiz: grouping keeps each on a single worker, so neither
# is started twice while the other worker runs everything else.
_GROUPED_MARKERS = ("browser", "grading")


def pytest_collection_modifyitems(items):
    for item in items:
        for marker in _GROUPED_MARKERS:
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(marker))
                break
