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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import Problem
from app.i18n import _

Condition = dict[str, Any]
Resolver = Callable[[str, str], Any]  # (kind "item"|"fact", name) -> value or None

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


def evaluate(cond: Condition | None, resolve: Resolver) -> bool:
    """Evaluate ``cond``; ``None`` (no condition) holds."""
    if cond is None:
        return True
    if "all_of" in cond:
        return all(evaluate(c, resolve) for c in cond["all_of"])
    if "any_of" in cond:
        return any(evaluate(c, resolve) for c in cond["any_of"])
    if "not" in cond:
        return not evaluate(cond["not"], resolve)
    kind = "item" if "item" in cond else "fact"
    actual = resolve(kind, cond[kind])
    op = cond["op"]
    if op == "answered":
        return not _is_missing(actual)
    if op == "not_answered":
        return _is_missing(actual)
    expected = _resolve_value(cond.get("value"), resolve)
    if op in ("equals", "not_equals"):
        same = not _is_missing(actual) and _normalize(actual) == _normalize(expected)
        return same if op == "equals" else not same
    if op in ("in", "not_in"):
        options = [_normalize(v) for v in (expected if isinstance(expected, list) else [expected])]
        inside = not _is_missing(actual) and _normalize(actual) in options
        return inside if op == "in" else not inside
    if op == "contains":
        if _is_missing(actual):
            return False
        have = [_normalize(v) for v in (actual if isinstance(actual, list) else [actual])]
        wanted = [_normalize(v) for v in (expected if isinstance(expected, list) else [expected])]
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
) -> list[Problem]:
    """Check a condition's shape and references; every problem carries its location.

    ``choices_of(kind, name)`` gives the allowed values of a choice item or fact, so that a
    misspelt value (``"partly-granted"``), which would silently never match, is reported.
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
        elif choices_of is not None and op in EQUALITY_OPS + SET_OPS:
            kind = "item" if "item" in node else "fact"
            allowed = choices_of(kind, node[kind])
            if allowed is not None:
                for v in value if isinstance(value, list) else [value]:
                    if not isinstance(v, bool) and str(v) not in allowed:
                        problems.append(Problem(f"{loc}.value", _("\u201c{value}\u201d is not one of the choices of \u201c{name}\u201d").format(value=v, name=node[kind])))

    walk(cond, location)
    return problems


def _looks_like_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
