"""The log-fail fixture of tests/conftest.py: an unexpected warning fails the test that logs it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parents[1] / "conftest.py").read_text(encoding="utf-8")
INI = """
[pytest]
addopts = -p no:cacheprovider
markers =
    keyring_real: real keyring
    expect_log: expected log records
"""
TESTS = """
import logging
import pytest

def test_quiet():
    logging.getLogger("desktop.x").info("fine")

def test_warns():
    logging.getLogger("desktop.x").warning("surprise")

@pytest.mark.expect_log("desktop.x")
def test_expected():
    logging.getLogger("desktop.x.child").error("on purpose")

@pytest.mark.expect_log("desktop.x")
def test_expected_from_elsewhere():
    logging.getLogger("desktop.y").warning("not this one")

@pytest.mark.expect_log("desktop.x")
def test_expected_but_silent():
    pass
"""


def test_unexpected_and_missing_warnings_fail(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(test_sample=TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=5, errors=3)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_warns*",
            "*WARNING desktop.x: surprise*",
            "*ERROR at teardown of test_expected_from_elsewhere*",
            "*WARNING desktop.y: not this one*",
            "*ERROR at teardown of test_expected_but_silent*",
            "*expect_log('desktop.x',): no record at WARNING or above was logged*",
        ]
    )
