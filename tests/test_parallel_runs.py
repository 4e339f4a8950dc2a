"""The test run itself: `make test` runs the tests in two worker processes with
`--dist loadgroup`, and the tests of one shared build must reach one worker."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("grouping_check")
def test_tests_of_one_group_are_sent_to_one_worker(request: pytest.FixtureRequest):
    """pytest-xdist sends the tests of one group to one worker by naming the group in their id.
    pytest 9.2 ignores that renaming: every shared site would then be built by one worker while
    the other waits for it."""
    if getattr(request.config.option, "loadgroup", False):  # in a worker of `--dist loadgroup`
        assert request.node.nodeid.endswith("@grouping_check")
    else:
        assert "@" not in request.node.nodeid
