"""The condition language of ``visible_when`` and ``flag_when``: JSON data, evaluated without eval.

A condition is one of::

    {"all_of": [cond, ...]}          every condition holds (an empty list holds)
    {"any_of": [cond, ...]}          at least one holds (an empty list does not)
    {"not": cond}                    the condition does not hold
    {"item": KEY, "op": OP, "value": V}   compare another item's answer
    {"fact": NAME, "op": OP, "value": V}  compare a case fact

Operators: ``equals``, ``not_equals``, ``in``, ``not_in`` (value is a list), ``contains``
(a multiple-choice answer contains the value, or any of a list), ``answered``, ``not_answered``
(no value), and the numeric or date comparisons ``lt``, ``le``, ``gt``, ``ge``.
For comparisons the value may itself be a reference, optionally scaled:
``{"fact": "amount_requested", "times": 0.5}``. A missing answer or fact never satisfies a
comparison (only ``not_answered`` and ``not_equals``/``not_in`` hold for it).

Values compare in the type of the item (or fact) they are compared with, when the caller says
it (``kind_of``): choice codes and texts as text (the number 1 written for a choice code means
the code "1"), numbers as numbers (the decimal answer "12.50" equals 12.5), dates as dates. A
comparison that can never match in that type (``"abc"`` with a number item, a choice that does
not exist) is reported by :func:`validate`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import Problem
from app.i18n import _

Condition = dict[str, Any]
Resolver = Callable[[str, str], Any]  # (kind "item"|"fact", name) -> value or None
KindOf = Callable[[str, str], "str | None"]  # (kind "item"|"fact", name) -> "text"|"number"|"date"|None

# The type in which an item's answer compares, by item type (see template.ITEM_TYPES).
ITEM_VALUE_KINDS = {
    "yes_no_na": "text", "single_choice": "text", "multiple_choice": "text", "short_text": "text",
    "long_text": "text", "integer": "number", "decimal": "number", "money": "number", "scale": "number",
    "date": "date",
}
# ... and a case fact's, by its kind (facts.FACT_KINDS); booleans compare as they are.
FACT_VALUE_KINDS = {"text": "text", "choice": "text", "number": "number", "date": "date"}

EQUALITY_OPS = ("equals", "not_equals")
SET_OPS = ("in", "not_in", "contains")
PRESENCE_OPS = ("answered", "not_answered")
ORDER_OPS = ("lt", "le", "gt", "ge")
LEAF_OPS = EQUALITY_OPS + SET_OPS + PRESENCE_OPS + ORDER_OPS
COMBINATORS = ("all_of", "any_of", "not")


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dict) and "amount" in value:  # money answer
        value = value["amount"]
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float, str)):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def _comparable(left: Any, right: Any) -> tuple[Any, Any] | None:
    """Bring two values to a comparable pair: numbers with numbers, dates with dates."""
    if isinstance(left, date) or isinstance(right, date):
        try:
            lval = left if isinstance(left, date) else date.fromisoformat(str(left))
            rval = right if isinstance(right, date) else date.fromisoformat(str(right))
        except ValueError:
            return None
        return lval, rval
    lnum, rnum = _as_number(left), _as_number(right)
    if lnum is None or rnum is None:
        if isinstance(left, str) and isinstance(right, str) and len(left) == 10 and len(right) == 10:
            return left, right  # ISO dates stored as strings compare as text
        return None
    return lnum, rnum


def _normalize(value: Any) -> Any:
    """Answers and facts compare with literals: Decimal 2 == 2, dates == ISO strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, dict) and "amount" in value:
        return _normalize(_as_number(value))
    return value


def _number_text(value: Any) -> str:
    """A number as the text a choice code would be: 1 -> "1", 1.50 -> "1.5"."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return "0" if text in ("-0", "0") else text


def as_kind(value: Any, kind: str | None) -> Any:
    """``value`` in the type ``kind`` ("text", "number", "date"); what does not convert is kept
    as it is (and then matches nothing of that type). ``None`` kind: the untyped comparison."""
    if kind is None or isinstance(value, bool) or _is_missing(value):
        return _normalize(value)
    if kind == "text":
        if isinstance(value, (int, float, Decimal)):
            if isinstance(value, float) and not math.isfinite(value):
                return value
            return _number_text(value)
        return value if isinstance(value, str) else _normalize(value)
    if kind == "number":
        number = _as_number(value)
        if number is None or not number.is_finite():
            return _normalize(value) if not isinstance(value, str) else ("\0text", value)
        return number.normalize()
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and _looks_like_date(value):
            return date.fromisoformat(value).isoformat()
        return ("\0text", value) if isinstance(value, str) else _normalize(value)
    return _normalize(value)


def _resolve_value(spec: Any, resolve: Resolver) -> Any:
    if isinstance(spec, dict) and ("item" in spec or "fact" in spec):
        kind = "item" if "item" in spec else "fact"
        value = resolve(kind, spec[kind])
        if "times" in spec:
            number = _as_number(value)
            factor = _as_number(spec["times"])
            return None if number is None or factor is None else number * factor
        return value
    return spec


def evaluate(cond: Condition | None, resolve: Resolver, kind_of: KindOf | None = None) -> bool:
    """Evaluate ``cond``; ``None`` (no condition) holds.

    ``kind_of(kind, name)`` gives the type an item or fact compares in ("text", "number",
    "date"); without it values compare untyped (a number never equals a text).
    """
    if cond is None:
        return True
    if "all_of" in cond:
        return all(evaluate(c, resolve, kind_of) for c in cond["all_of"])
    if "any_of" in cond:
        return any(evaluate(c, resolve, kind_of) for c in cond["any_of"])
    if "not" in cond:
        return not evaluate(cond["not"], resolve, kind_of)
    kind = "item" if "item" in cond else "fact"
    actual = resolve(kind, cond[kind])
    op = cond["op"]
    if op == "answered":
        return not _is_missing(actual)
    if op == "not_answered":
        return _is_missing(actual)
    expected = _resolve_value(cond.get("value"), resolve)
    value_kind = kind_of(kind, cond[kind]) if kind_of is not None and isinstance(cond[kind], str) else None

    def typed(value: Any) -> Any:
        return as_kind(value, value_kind)

    if op in ("equals", "not_equals"):
        same = not _is_missing(actual) and typed(actual) == typed(expected)
        return same if op == "equals" else not same
    if op in ("in", "not_in"):
        options = [typed(v) for v in (expected if isinstance(expected, list) else [expected])]
        inside = not _is_missing(actual) and typed(actual) in options
        return inside if op == "in" else not inside
    if op == "contains":
        if _is_missing(actual):
            return False
        have = [typed(v) for v in (actual if isinstance(actual, list) else [actual])]
        wanted = [typed(v) for v in (expected if isinstance(expected, list) else [expected])]
        return any(w in have for w in wanted)
    if op in ORDER_OPS:
        if _is_missing(actual) or _is_missing(expected):
            return False
        pair = _comparable(actual, expected)
        if pair is None:
            return False
        left, right = pair
        if op == "lt":
            return bool(left < right)
        if op == "le":
            return bool(left <= right)
        if op == "gt":
            return bool(left > right)
        return bool(left >= right)
    raise ValueError(op)  # unreachable for validated conditions


def item_references(cond: Any) -> Iterator[dict[str, Any]]:
    """Every node of ``cond`` that names an item (``{"item": KEY, ...}``), also inside scaled
    values. The nodes themselves are yielded, so a caller may rename the key in place."""
    if isinstance(cond, dict):
        if isinstance(cond.get("item"), str):
            yield cond
        for value in cond.values():
            yield from item_references(value)
    elif isinstance(cond, list):
        for value in cond:
            yield from item_references(value)


def referenced_items(cond: Condition | None) -> set[str]:
    """Keys of every item the condition reads (also inside scaled values)."""
    return {node["item"] for node in item_references(cond)}


def validate(
    cond: Any,
    location: str,
    item_keys: Iterable[str],
    fact_names: Iterable[str],
    choices_of: Callable[[str, str], set[str] | None] | None = None,
    kind_of: KindOf | None = None,
) -> list[Problem]:
    """Check a condition's shape and references; every problem carries its location.

    ``choices_of(kind, name)`` gives the allowed values of a choice item or fact, so that a
    misspelt value (``"partly-granted"``), which would silently never match, is reported.
    ``kind_of(kind, name)`` gives the type the item or fact compares in: a value that can never
    equal an answer of that type (``"abc"`` for a number, ``true`` for a choice) is reported too.
    """
    items, facts = set(item_keys), set(fact_names)
    problems: list[Problem] = []

    def ref_problem(node: dict[str, Any], loc: str) -> None:
        if "item" in node:
            if not isinstance(node["item"], str) or node["item"] not in items:
                problems.append(Problem(f"{loc}.item", _("refers to unknown item \u201c{key}\u201d").format(key=node["item"])))
        elif "fact" in node:
            if not isinstance(node["fact"], str) or node["fact"] not in facts:
                problems.append(Problem(f"{loc}.fact", _("refers to unknown case fact \u201c{key}\u201d").format(key=node["fact"])))

    def walk(node: Any, loc: str) -> None:
        if not isinstance(node, dict):
            problems.append(Problem(loc, _("a condition must be an object")))
            return
        combinators = [k for k in COMBINATORS if k in node]
        if combinators:
            if len(node) != 1:
                problems.append(Problem(loc, _("a combined condition has exactly one key (all_of, any_of or not)")))
                return
            key = combinators[0]
            if key == "not":
                walk(node["not"], f"{loc}.not")
            elif not isinstance(node[key], list):
                problems.append(Problem(f"{loc}.{key}", _("must be a list of conditions")))
            else:
                for i, child in enumerate(node[key]):
                    walk(child, f"{loc}.{key}[{i}]")
            return
        if ("item" in node) == ("fact" in node):
            problems.append(Problem(loc, _("a condition names either an item or a case fact")))
            return
        ref_problem(node, loc)
        op = node.get("op")
        if op not in LEAF_OPS:
            problems.append(Problem(f"{loc}.op", _("unknown operator \u201c{op}\u201d").format(op=op)))
            return
        extra = set(node) - {"item", "fact", "op", "value"}
        if extra:
            problems.append(Problem(loc, _("unexpected key \u201c{key}\u201d").format(key=sorted(extra)[0])))
        if op in PRESENCE_OPS:
            return
        if "value" not in node:
            problems.append(Problem(f"{loc}.value", _("operator \u201c{op}\u201d needs a value").format(op=op)))
            return
        value = node["value"]
        if op in ("in", "not_in") and not isinstance(value, list):
            problems.append(Problem(f"{loc}.value", _("operator \u201c{op}\u201d needs a list of values").format(op=op)))
        if isinstance(value, dict):
            if op not in ORDER_OPS + EQUALITY_OPS:
                problems.append(Problem(f"{loc}.value", _("only comparisons may compare with another item or fact")))
            elif ("item" in value) == ("fact" in value) or set(value) - {"item", "fact", "times"}:
                problems.append(Problem(f"{loc}.value", _("a reference names an item or a fact, and optionally \u201ctimes\u201d")))
            else:
                ref_problem(value, f"{loc}.value")
                if "times" in value and _as_number(value["times"]) is None:
                    problems.append(Problem(f"{loc}.value.times", _("must be a number")))
        elif op in ORDER_OPS and _as_number(value) is None and not _looks_like_date(value):
            problems.append(Problem(f"{loc}.value", _("operator \u201c{op}\u201d needs a number or a date").format(op=op)))
        elif op in EQUALITY_OPS + SET_OPS:
            kind = "item" if "item" in node else "fact"
            name = node[kind]
            allowed = choices_of(kind, name) if choices_of is not None and isinstance(name, str) else None
            value_kind = kind_of(kind, name) if kind_of is not None and isinstance(name, str) else None
            for v in value if isinstance(value, list) else [value]:
                typed = as_kind(v, value_kind) if value_kind is not None else v
                if allowed is not None:
                    if isinstance(v, bool) or isinstance(v, (dict, list)) or v is None:
                        problems.append(Problem(f"{loc}.value", _("{value} can never equal a choice of \u201c{name}\u201d (choices are text codes)").format(
                            value=json_text(v), name=name)))
                    elif (typed if value_kind == "text" else str(v)) not in allowed:
                        problems.append(Problem(f"{loc}.value", _("\u201c{value}\u201d is not one of the choices of \u201c{name}\u201d").format(value=v, name=name)))
                elif value_kind in ("number", "date") and not isinstance(v, bool) and isinstance(typed, tuple):
                    message = (_("\u201c{value}\u201d is not a number, so it can never equal the answer to \u201c{name}\u201d")
                               if value_kind == "number" else
                               _("\u201c{value}\u201d is not a date, so it can never equal the answer to \u201c{name}\u201d"))
                    problems.append(Problem(f"{loc}.value", message.format(value=v, name=name)))

    walk(cond, location)
    return problems


def json_text(value: Any) -> str:
    """A value as JSON shows it (true, null, 1), for messages."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _looks_like_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
