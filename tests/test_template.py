

def test_fill_placeholders_shows_answers_and_an_ellipsis_while_unanswered():
    from app.domain.template import MISSING_ANSWER, fill_placeholders

    answers = {"name": "Amina"}
    assert fill_placeholders("How old is ${name}?", answers.get) == "How old is Amina?"
    assert fill_placeholders("Is ${other} present?", answers.get) == f"Is {MISSING_ANSWER} present?"
    assert fill_placeholders("No placeholder", answers.get) == "No placeholder"


def test_a_typed_comparison_that_cannot_match_is_refused():
    import pytest as _pytest

    from app.domain.template import parse_template as _parse
    from app.errors import TemplateFormatError as _TFE

    data = {"format": "likvard-template/1", "key": "t", "default_language": "en", "languages": ["en"],
            "title": {"en": "T"}, "sections": [{"key": "s", "title": {"en": "S"}, "items": [
                {"key": "n", "type": "integer", "label": {"en": "N"}},
                {"key": "q", "type": "short_text", "label": {"en": "Q"},
                 "visible_when": {"item": "n", "op": "equals", "value": "lots"}}]}]}
    with _pytest.raises(_TFE) as info:
        _parse(data)
    assert any("not a number" in p.message for p in info.value.problems)
    data["sections"][0]["items"][1]["visible_when"]["value"] = "3"
    _parse(data)
