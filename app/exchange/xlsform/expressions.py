"""XLSForm ``relevant`` expressions to and from our conditions: a small recursive-descent parser (no eval) and its inverse."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from app.domain.template import (
    KEY_RE,
)
from app.exchange.xlsform.common import _num_text
from app.i18n import _

_TOKEN_RE = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
     |(?P<str>'[^']*'|"[^"]*"|[\u2018\u2019][^\u2018\u2019']*[\u2018\u2019]|[\u201c\u201d][^\u201c\u201d"]*[\u201c\u201d])
     |(?P<path>(?:\.\.?/)+(?:\.\.|[A-Za-z_][\w\-.]*)(?:/[A-Za-z_][\w\-.]*)*|/[A-Za-z_][\w\-.]*(?:/[A-Za-z_][\w\-.]*)+|\.\.(?![\w/.]))
     |(?P<num>-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
     |(?P<op>!=|<=|>=|=|<|>|\*|\(|\)|,)
     |(?P<dot>\.)
     |(?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z_][A-Za-z0-9_\-]*)?)
    )""",
    re.VERBOSE,
)
_OPS = {"=": "equals", "!=": "not_equals", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_FLIP = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


PATH_PREFIX = "path:"  # a reference written as an XPath path, not as ${name}


class _ExprError(Exception):
    """The expression is outside the supported subset; the message is translated."""


@dataclass
class _Token:
    kind: str  # ref, str, num, op, dot, name, end
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise _ExprError(_("unexpected \u201c{text}\u201d at character {position}").format(
                text=text[pos:pos + 10], position=pos + 1))
        kind = m.lastgroup if m.lastgroup != "refname" else "ref"
        if m.group("ref") is not None:
            tokens.append(_Token("ref", m.group("refname"), m.start("ref")))
        elif m.group("path") is not None:  # ./x, ../x, ../../g/x, /data/g/x: resolved by the reader
            tokens.append(_Token("ref", PATH_PREFIX + m.group("path"), m.start("path")))
        elif m.group("str") is not None:  # typographic quotes, as word processors type them, count as quotes
            quoted = m.group("str")
            tokens.append(_Token("str", "'" + quoted[1:-1] + "'", m.start("str")))
        else:
            assert kind is not None
            tokens.append(_Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _number(text: str) -> int | float:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text)


class _ExprParser:
    """Recursive descent over the supported XPath subset; builds our condition dicts.

    Question references keep their XLSForm names; the caller maps them to keys.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    # token helpers
    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def is_op(self, text: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok.kind == "op" and tok.text == text

    def is_word(self, word: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok.kind == "name" and tok.text.lower() == word

    def expect_op(self, text: str) -> None:
        if not self.is_op(text):
            tok = self.peek()
            raise _ExprError(_("expected \u201c{expected}\u201d at character {position}").format(
                expected=text, position=tok.pos + 1))
        self.take()

    def fail_here(self) -> _ExprError:
        tok = self.peek()
        if tok.kind == "end":
            return _ExprError(_("the expression ends too early"))
        return _ExprError(_("unexpected \u201c{text}\u201d at character {position}").format(
            text=tok.text, position=tok.pos + 1))

    # grammar
    def parse(self) -> dict[str, Any]:
        if self.peek().kind == "end":
            raise _ExprError(_("the expression is empty"))
        cond = self.or_expr()
        if self.peek().kind != "end":
            raise self.fail_here()
        return cond

    def or_expr(self) -> dict[str, Any]:
        parts = [self.and_expr()]
        while self.is_word("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else {"any_of": parts}

    def and_expr(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self.is_word("and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all_of": parts}

    def unary(self) -> dict[str, Any]:
        if self.is_word("not") and self.is_op("(", 1):
            self.take()
            self.take()
            inner = self.or_expr()
            self.expect_op(")")
            return {"not": inner}
        if (self.is_word("true") or self.is_word("false")) and self.is_op("(", 1) and self.is_op(")", 2):
            word = self.take().text.lower()
            self.take()
            self.take()
            return {"all_of": []} if word == "true" else {"any_of": []}
        if self.is_word("selected") and self.is_op("(", 1):
            self.take()
            self.take()
            name = self.reference()
            self.expect_op(",")
            tok = self.take()
            if tok.kind == "str":
                value = tok.text[1:-1]
            elif tok.kind == "num":
                value = tok.text
            else:
                raise _ExprError(_("selected() needs a choice name in quotes"))
            self.expect_op(")")
            return {"item": name, "op": "contains", "value": value}
        if self.is_op("("):
            self.take()
            inner = self.or_expr()
            self.expect_op(")")
            return inner
        return self.comparison()

    def reference(self) -> str:
        tok = self.take()
        if tok.kind == "ref" and tok.text:
            return tok.text
        if tok.kind == "dot":
            raise _ExprError(_("\u201c.\u201d (the question itself) is not supported here"))
        raise _ExprError(_("expected a question reference ${{name}} at character {position}").format(
            position=tok.pos + 1))

    def operand(self) -> tuple[str, Any, Any]:
        """("ref", name, times|None) | ("len", name, None) | ("lit", value, None)."""
        tok = self.peek()
        if tok.kind == "ref":
            name = self.reference()
            if self.is_op("*"):
                self.take()
                factor = self.take()
                if factor.kind != "num":
                    raise _ExprError(_("a question can only be multiplied by a number"))
                return "ref", name, _number(factor.text)
            return "ref", name, None
        if tok.kind == "str":
            self.take()
            return "lit", tok.text[1:-1], None
        if tok.kind == "num":
            self.take()
            return "lit", _number(tok.text), None
        if tok.kind == "name" and self.is_op("(", 1):
            word = tok.text.lower()
            if word in ("string-length", "count-selected"):
                self.take()
                self.take()
                name = self.reference()
                self.expect_op(")")
                return "len", name, None
            if word == "date":
                self.take()
                self.take()
                literal = self.take()
                if literal.kind != "str" or not _DATE_RE.match(literal.text[1:-1]):
                    raise _ExprError(_("date() needs a date such as '2024-12-31'"))
                self.expect_op(")")
                return "lit", literal.text[1:-1], None
            raise _ExprError(_("the function {function}() is not supported").format(function=tok.text))
        if tok.kind == "dot":
            raise _ExprError(_("\u201c.\u201d (the question itself) is not supported here"))
        raise self.fail_here()

    def comparison(self) -> dict[str, Any]:
        left = self.operand()
        tok = self.peek()
        if tok.kind != "op" or tok.text not in _OPS:
            if tok.kind == "end" or (tok.kind == "name" and tok.text.lower() in ("and", "or")) or self.is_op(")"):
                raise _ExprError(_("a comparison such as ${{x}} = 'yes' is expected at character {position}").format(
                    position=tok.pos + 1))
            raise self.fail_here()
        op = self.take().text
        right = self.operand()
        if left[0] == "lit" and right[0] != "lit":
            left, right, op = right, left, _FLIP[op]
        if left[0] == "len":
            if right[0] != "lit" or isinstance(right[1], str):
                raise _ExprError(_("string-length() and count-selected() compare with a number"))
            n = right[1]
            if (op == ">" and n == 0) or (op == ">=" and n == 1) or (op == "!=" and n == 0):
                return {"item": left[1], "op": "answered"}
            if (op == "=" and n == 0) or (op == "<" and n == 1) or (op == "<=" and n == 0):
                return {"item": left[1], "op": "not_answered"}
            raise _ExprError(_("string-length() and count-selected() only test whether a question is answered"))
        if left[0] != "ref" or left[2] is not None:
            raise _ExprError(_("a comparison must start with a question reference such as ${x}"))
        name = left[1]
        if right[0] == "len":
            raise _ExprError(_("string-length() and count-selected() compare with a number"))
        if right[0] == "ref":
            value: Any = {"item": right[1]}
            if right[2] is not None:
                value["times"] = right[2]
            return {"item": name, "op": _OPS[op], "value": value}
        literal = right[1]
        if literal == "":
            if op == "=":
                return {"item": name, "op": "not_answered"}
            if op == "!=":
                return {"item": name, "op": "answered"}
            raise _ExprError(_("an empty text can only be compared with = or !="))
        if op in ("<", "<=", ">", ">=") and isinstance(literal, str) and not _DATE_RE.match(literal):
            raise _ExprError(_("\u201c{op}\u201d compares numbers or dates, not \u201c{value}\u201d").format(
                op=op, value=literal))
        return {"item": name, "op": _OPS[op], "value": literal}


def parse_relevant(text: str) -> dict[str, Any]:
    """Parse an XLSForm relevant expression into a condition (references keep their names).

    Raises ValueError with a translated message when the expression is outside the subset.
    """
    try:
        return _ExprParser(text).parse()
    except _ExprError as exc:
        raise ValueError(str(exc)) from None


def _literal(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if "'" not in value:
            return f"'{value}'"
        if '"' not in value:
            return f'"{value}"'
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return _num_text(value)
    return None


def _ref(key: Any) -> str | None:
    return "${" + key + "}" if isinstance(key, str) and KEY_RE.match(key) else None


def condition_to_xpath(cond: Any) -> str | None:
    """An XLSForm spelling of a condition, or None (case facts have none).

    The spelling may be only equivalent (``in`` becomes an ``or`` of ``=``); the exporter
    checks whether it parses back to the same condition and adds the JSON when it does not.
    """
    if not isinstance(cond, dict):
        return None
    if "all_of" in cond or "any_of" in cond:
        key = "all_of" if "all_of" in cond else "any_of"
        parts = cond[key]
        if not isinstance(parts, list):
            return None
        if not parts:
            return "true()" if key == "all_of" else "false()"
        texts = []
        for part in parts:
            text = condition_to_xpath(part)
            if text is None:
                return None
            combined = isinstance(part, dict) and bool(part.get("all_of") or part.get("any_of"))
            texts.append(f"({text})" if combined else text)
        return (" and " if key == "all_of" else " or ").join(texts)
    if "not" in cond:
        inner = condition_to_xpath(cond["not"])
        return None if inner is None else f"not({inner})"
    ref = _ref(cond.get("item"))
    if ref is None:
        return None
    op, value = cond.get("op"), cond.get("value")
    if op == "answered":
        return f"{ref} != ''"
    if op == "not_answered":
        return f"{ref} = ''"
    if op == "contains":
        values = value if isinstance(value, list) else [value]
        lits = [_literal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else _literal(v)
                for v in values]
        if any(lit is None for lit in lits):
            return None
        if not lits:
            return "false()"
        if not isinstance(value, list):
            return f"selected({ref}, {lits[0]})"
        return "(" + " or ".join(f"selected({ref}, {lit})" for lit in lits) + ")"
    if op in ("in", "not_in"):
        if not isinstance(value, list):
            return None
        lits = [_literal(v) for v in value]
        if any(lit is None for lit in lits):
            return None
        inner = " or ".join(f"{ref} = {lit}" for lit in lits) if lits else "false()"
        return f"({inner})" if op == "in" else f"not({inner})"
    symbol = {v: k for k, v in _OPS.items()}.get(op) if isinstance(op, str) else None  # a draft's op may be anything
    if symbol is None:
        return None
    if isinstance(value, dict):
        other = _ref(value.get("item"))
        if other is None or set(value) - {"item", "times"}:
            return None
        if "times" in value:
            factor = _literal(value["times"])
            if factor is None or isinstance(value["times"], str):
                return None
            other = f"{other} * {factor}"
        return f"{ref} {symbol} {other}"
    if op in ("lt", "le", "gt", "ge") and isinstance(value, str):
        if not _DATE_RE.match(value):
            return None
        return f"{ref} {symbol} date('{value}')"
    lit = _literal(value)
    return None if lit is None else f"{ref} {symbol} {lit}"


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (so 2 and 2.0 differ, as they do in the canonical text)."""
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def _exact_xpath(cond: Any) -> tuple[str | None, bool]:
    """(XLSForm spelling or None, whether it reads back as exactly ``cond``)."""
    text = condition_to_xpath(cond)
    if text is None:
        return None, False
    try:
        back = parse_relevant(text)
    except ValueError:
        return None, False
    return text, _same(back, cond)

