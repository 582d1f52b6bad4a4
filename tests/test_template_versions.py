"""Drafts, duplicates and the comparison of versions."""

from __future__ import annotations

import pytest

from app.errors import ImmutableVersionError, LikvardError

pytestmark = pytest.mark.both_backends  # SQLite and PostgreSQL (tests/conftest.py)


def test_draft_from_published_then_compare(services, all_types_version):
    draft = services.templates.create_draft(all_types_version.id)
    assert draft.status == "draft" and draft.number == 2
    assert services.templates.create_draft(all_types_version.id).id == draft.id  # one open draft
    content = services.templates.content(draft.id)
    content.sections[0].items[1].label["en"] = "Were family questions asked?"
    content.sections[1].items.pop()  # remove "confidence"
    from app.domain.template import Item

    content.sections[1].items.append(Item(key="new_q", type="yes_no_na", label={"en": "New?", "sv": "Ny?", "fr": "Nouveau ?"}))
    services.templates.update_draft(draft.id, content)
    changes = services.templates.compare(all_types_version.id, draft.id)
    summary = {(c.kind, c.key, c.field) for c in changes}
    assert ("changed", "family_asked", "label") in summary
    assert ("added", "new_q", "") in summary
    assert ("removed", "confidence", "") in summary
    label = next(c for c in changes if c.key == "family_asked")
    assert label.old["en"].startswith("Were questions") and label.new["en"] == "Were family questions asked?"
    services.templates.publish(draft.id)
    assert services.templates.find_version("all_types").number == 2


def test_duplicate_and_delete_draft(services, all_types_version):
    copy = services.templates.duplicate(all_types_version.id, "all_types_copy", "Copy")
    assert copy.template_key == "all_types_copy" and copy.status == "draft" and copy.number == 1
    with pytest.raises(LikvardError):
        services.templates.duplicate(all_types_version.id, "all_types_copy")
    services.templates.delete_draft(copy.id)
    assert services.templates.list_versions("all_types_copy") == []
    with pytest.raises(ImmutableVersionError):
        services.templates.delete_draft(all_types_version.id)
