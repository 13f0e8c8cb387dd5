"""Shared fixtures: the C test library is compiled once per session."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="session")
def testlib_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("clib") / "libcffipytest.so"
    cc = os.environ.get("CC", "cc")
    subprocess.check_call([cc, "-shared", "-fPIC", "-O1", "-I", os.path.join(HERE, "c"),
                           os.path.join(HERE, "c", "testlib.c"), "-o", str(out)])
    return str(out)


def pytest_report_header(config):
    import _cffi_backend

    return "cffi-py: %s from %s" % (_cffi_backend.__implementation__, _cffi_backend.__file__)
