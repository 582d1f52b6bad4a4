"""One autosave commit with and without the audit chain (issue 13): sealing an event with
HMAC-SHA256, the head lookup, the sealing check and the anchor file written after the commit.

Run: ``python -m pytest tests/bench/test_bench_audit.py --benchmark-enable --benchmark-only``.
The database holds 20 000 earlier entries, so the head lookup is measured on a large log.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from app.storage import audit
from app.storage.models import EventRow
from tests.pdf.conftest import fill_case

pytestmark = pytest.mark.benchmark


@pytest.fixture
def big_log(services, all_types_version):
    aid = fill_case(services, all_types_version, complete=False)
    with services.db.session() as s:
        s.execute(insert(EventRow), [{"id": uuid.uuid4(), "at": datetime.now(UTC), "kind": "bench.filler",
                                      "entity_id": None, "actor": "", "payload": {"n": n}} for n in range(20_000)])
    with services.db.session() as s:  # seal them (one audit.sealed event), as an older database would be
        audit.seal_pending(s)
    assert services.audit.verify().state == "intact"
    return services, aid


def _autosave(services, aid, values):
    value = next(values)
    services.assessments.set_answers(aid, {"minutes": value}, {"minutes": f"note {value}"})


def test_autosave_commit_with_the_audit_chain(benchmark, big_log):
    services, aid = big_log
    benchmark(_autosave, services, aid, itertools.count(1))
    assert services.audit.verify().state == "intact"


def test_autosave_commit_without_the_audit_chain(benchmark, big_log):
    services, aid = big_log
    event.remove(Session, "before_flush", audit._chain_events)
    try:
        benchmark(_autosave, services, aid, itertools.count(1))
    finally:
        event.listen(Session, "before_flush", audit._chain_events)
