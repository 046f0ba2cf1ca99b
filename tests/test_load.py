"""A short version of bench/load_test.py: concurrent sessions against the running app all get
complete, correct answers (no timing asserts)."""

import sys
from pathlib import Path

import pytest

from tests.test_app import start_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("load")
    yield from start_app(tmp, tmp / "index")


def test_concurrent_sessions_get_correct_answers(served):
    from load_test import questions, run_load

    r = run_load(served[0], questions(12), users=8, per_user=4)
    assert r.errors == ()
    assert len(r.latencies) == 32
