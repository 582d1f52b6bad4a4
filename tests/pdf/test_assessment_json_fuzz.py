"""Issue 13, fuzzing: the likvard-assessment/1 JSON carried inside a PDF summary, mutated at random.

Property: import-pdf either creates an unsigned case or raises our typed, translated error; never
another exception, never a partial write (on error the number of cases is unchanged), and never a
signed case (the file carries no signature).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.errors import LikvardError
from app.exchange.assessment_format import write_assessment
from app.pdf.document import finish_pdf
from app.storage.models import AssessmentRow
from tests.pdf.conftest import fill_case

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _blank_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "summary")
    page.save()
    return out.getvalue()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, head: _replace(node[head], rest, value)}
    copy = list(node)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _cases(services: Any) -> int:
    with services.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AssessmentRow)) or 0)


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=60)
@given(data=st.data())
def test_a_mutated_assessment_json_imports_cleanly_or_is_refused_whole(data, services, all_types_version, tmp_path):
    aid = getattr(services, "_fuzz_case", None)
    if aid is None:
        aid = services._fuzz_case = fill_case(services, all_types_version, case_reference="FUZZ-0")
    original = write_assessment(services.assessments.get(aid), "en")
    paths = _paths(original)
    mutated = original
    for _round in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        mutated = _replace(mutated, path, data.draw(JSON_VALUES))
        paths = _paths(mutated)
    try:
        pdf = finish_pdf(_blank_pdf(), mutated)
    except (ValueError, TypeError):  # JSON that cannot even be written (NaN keys etc.) is not a file anyone has
        return
    path = tmp_path / "mutated.pdf"
    path.write_bytes(pdf)
    before = _cases(services)
    try:
        result = services.summaries.import_pdf(path)
    except LikvardError as exc:
        assert exc.message
        assert _cases(services) == before
        return
    assert services.assessments.get(result.assessment_id).status != "signed"
