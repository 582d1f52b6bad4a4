"""Checklist templates: content (sections, items), versions and their lifecycle.

The content is plain data (see ``checklists/template.schema.json``); ``parse_template`` turns a
JSON-ready dict into a :class:`TemplateContent`, reporting *every* problem with its location.
``TemplateContent.to_dict`` gives the canonical dict back, so parse -> to_dict is stable.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from app.domain import conditions
from app.domain.facts import FACT_CHOICES, FACT_KINDS
from app.enums import LANGUAGE_CODES, VersionStatus
from app.enums import VERSION_STATUSES as VERSION_STATUSES  # re-exported
from app.errors import ImmutableVersionError, Problem, TemplateFormatError
from app.i18n import N_, _, localized

FORMAT_ID = "likvard-template/1"

ITEM_TYPES = (
    "yes_no_na", "single_choice", "multiple_choice", "short_text", "long_text",
    "integer", "decimal", "money", "date", "scale", "note",
)
ITEM_TYPE_LABELS = {
    "yes_no_na": N_("Yes / No / Not applicable"),
    "single_choice": N_("Single choice"),
    "multiple_choice": N_("Multiple choice"),
    "short_text": N_("Short text"),
    "long_text": N_("Long text"),
    "integer": N_("Whole number"),
    "decimal": N_("Decimal number"),
    "money": N_("Amount of money"),
    "date": N_("Date"),
    "scale": N_("Scale 1\u20135"),
    "note": N_("Guidance note"),
}
CHOICE_TYPES = ("single_choice", "multiple_choice")
YES_NO_NA = ("yes", "no", "na")
VERSION_STATUS_LABELS: dict[str, str] = {VersionStatus.DRAFT: N_("draft"), VersionStatus.PUBLISHED: N_("published"), VersionStatus.RETIRED: N_("retired")}


def version_status_label(status: str) -> str:
    """The translated name of a template version's status."""
    return _(VERSION_STATUS_LABELS[status]) if status in VERSION_STATUS_LABELS else status


def immutable_version_error(number: int, status: str) -> ImmutableVersionError:
    """The one error for any attempt to change a published or retired version."""
    return ImmutableVersionError(
        _("Version {number} is {status} and cannot be changed; create a new draft instead.").format(
            number=number, status=version_status_label(status)))
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")  # \Z, not $: "key\n" must not match
LANG_RE = re.compile(r"^[a-z]{2,3}\Z")

Texts = dict[str, str]


def _ordered(texts: Texts, languages: list[str] | None) -> Texts:
    """Texts in the template's language order, so equal content always hashes the same."""
    if not languages:
        return dict(texts)
    out = {lang: texts[lang] for lang in languages if lang in texts}
    out.update({k: v for k, v in texts.items() if k not in out})
    return out


@dataclass
class Option:
    """One choice of a single- or multiple-choice item."""

    value: str
    label: Texts

    def to_dict(self, languages: list[str] | None = None) -> dict[str, Any]:
        return {"value": self.value, "label": _ordered(self.label, languages)}


@dataclass
class Item:
    """One checklist item."""

    key: str
    type: str
    label: Texts
    guidance: Texts = field(default_factory=dict)
    required: bool = False
    options: list[Option] = field(default_factory=list)
    visible_when: dict[str, Any] | None = None
    flag_when: dict[str, Any] | None = None
    flag_explanation: Texts = field(default_factory=dict)
    weight: float = 1
    minimum: float | None = None
    maximum: float | None = None
    # A private item (a self-reflection) is kept in the case and counted in aggregates only:
    # never printed in a summary nor exported per case.
    private: bool = False
    # Law and research the item rests on, as citations (language-neutral: titles stay in their
    # own language, e.g. "Diskrimineringslagen (2008:567) 2 kap. 12 §").
    sources: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        """Notes carry guidance only and take no answer."""
        return self.type != "note"

    def option_values(self) -> list[str]:
        if self.type == "yes_no_na":
            return list(YES_NO_NA)
        if self.type == "scale":
            return ["1", "2", "3", "4", "5"]
        return [o.value for o in self.options]

    def to_dict(self, languages: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "type": self.type, "label": _ordered(self.label, languages)}
        if self.guidance:
            out["guidance"] = _ordered(self.guidance, languages)
        if self.required:
            out["required"] = True
        if self.options:
            out["options"] = [o.to_dict(languages) for o in self.options]
        if self.minimum is not None:
            out["min"] = self.minimum
        if self.maximum is not None:
            out["max"] = self.maximum
        if self.visible_when is not None:
            out["visible_when"] = self.visible_when
        if self.flag_when is not None:
            out["flag_when"] = self.flag_when
        if self.flag_explanation:
            out["flag_explanation"] = _ordered(self.flag_explanation, languages)
        if self.weight != 1:
            out["weight"] = self.weight
        if self.private:
            out["private"] = True
        if self.sources:
            out["sources"] = list(self.sources)
        return out


@dataclass
class Section:
    """A titled group of items."""

    key: str
    title: Texts
    items: list[Item] = field(default_factory=list)
    visible_when: dict[str, Any] | None = None

    def to_dict(self, languages: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "title": _ordered(self.title, languages)}
        if self.visible_when is not None:
            out["visible_when"] = self.visible_when
        out["items"] = [i.to_dict(languages) for i in self.items]
        return out


@dataclass
class TemplateContent:
    """The whole content of one template version."""

    key: str
    title: Texts
    default_language: str
    languages: list[str]
    sections: list[Section]
    description: Texts = field(default_factory=dict)

    def items(self) -> list[Item]:
        """Every item, in order."""
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item:
        for it in self.items():
            if it.key == key:
                return it
        raise KeyError(key)

    def section_of(self, key: str) -> Section:
        for section in self.sections:
            if any(i.key == key for i in section.items):
                return section
        raise KeyError(key)

    def text(self, texts: Texts, lang: str) -> str:
        """Localized text with fallback to the template's default language."""
        return localized(texts, lang, self.default_language)[0]

    def title_in(self, lang: str) -> str:
        return self.text(self.title, lang)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT_ID,
            "key": self.key,
            "default_language": self.default_language,
            "languages": list(self.languages),
            "title": _ordered(self.title, self.languages),
        }
        if self.description:
            out["description"] = _ordered(self.description, self.languages)
        out["sections"] = [s.to_dict(self.languages) for s in self.sections]
        return out

    def canonical_json(self) -> str:
        """The canonical text of the content: what exports write and the hash covers."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: identifies a version's exact content."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


@dataclass
class TemplateVersion:
    """A numbered version of a template. Published and retired versions are immutable."""

    number: int
    content: TemplateContent
    status: str = VersionStatus.DRAFT

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "content" and getattr(self, "status", VersionStatus.DRAFT) != VersionStatus.DRAFT and "content" in self.__dict__:
            raise immutable_version_error(self.number, self.status)
        super().__setattr__(name, value)

    @property
    def content_hash(self) -> str:
        return self.content.content_hash()

    def publish(self) -> None:
        if self.status != VersionStatus.DRAFT:
            raise ImmutableVersionError(_("Only a draft can be published."))
        parse_template(self.content.to_dict())  # every structural and semantic error blocks publishing
        self.status = VersionStatus.PUBLISHED

    def retire(self) -> None:
        if self.status != VersionStatus.PUBLISHED:
            raise ImmutableVersionError(_("Only a published version can be retired."))
        self.status = VersionStatus.RETIRED


# --- parsing --------------------------------------------------------------------------------

_JSON_KINDS = ((bool, N_("true or false")), (int, N_("a number")), (float, N_("a number")), (list, N_("a list")),
               (dict, N_("an object")), (str, N_("a text")))


def json_kind(value: Any) -> str:
    """What kind of JSON value ``value`` is, in words ("a number", "a list"...)."""
    for kind, words in _JSON_KINDS:  # bool before int: True is an int too
        if isinstance(value, kind):
            return _(words)
    return _("nothing") if value is None else type(value).__name__



class _Parser:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, loc: str, message: str) -> None:
        self.problems.append(Problem(loc, message))

    def texts(self, data: Any, loc: str, languages: list[str], required: bool = True) -> Texts:
        if data is None:
            if required:
                self.error(loc, _("is required"))
            return {}
        if isinstance(data, str):
            self.error(loc, _("must be an object of texts per language, e.g. {\"en\": \"...\"}"))
            return {}
        if not isinstance(data, dict):
            self.error(loc, _("must be an object of texts per language"))
            return {}
        out: Texts = {}
        for lang, text in data.items():
            if lang not in languages:
                self.error(f"{loc}.{lang}", _("language \u201c{lang}\u201d is not in the template's languages").format(lang=lang))
            elif not isinstance(text, str):
                self.error(f"{loc}.{lang}", _("must be a text"))
            else:
                out[lang] = text
        if required and not any(v.strip() for v in out.values()):
            self.error(loc, _("needs a text in at least one language"))
        return out

    def key(self, data: Any, loc: str) -> str:
        if data is None:
            self.error(loc, _("a key is required: lower-case letters, digits and _, starting with a letter"))
            return ""
        if not isinstance(data, str):
            self.error(loc, _("a key must be a text in quotes, not {kind}").format(kind=json_kind(data)))
            return str(data)
        if not KEY_RE.match(data):
            self.error(loc, _("invalid key \u201c{key}\u201d: use lower-case letters, digits and _ , starting with a letter").format(key=data))
            return str(data)
        return data

    def unknown_keys(self, data: dict[str, Any], allowed: set[str], loc: str) -> None:
        for k in data:
            if k not in allowed:
                self.error(f"{loc}.{k}" if loc else k, _("unknown field \u201c{field}\u201d").format(field=k))

    def number(self, data: Any, loc: str) -> float | None:
        if data is None:
            return None
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.error(loc, _("must be a number"))
            return None
        return data  # kept as written (2 stays 2, 0.5 stays 0.5) so exports are byte-stable

    def parse(self, data: Any) -> TemplateContent | None:
        if not isinstance(data, dict):
            self.error("", _("a template must be a JSON object"))
            return None
        self.unknown_keys(data, {"format", "key", "default_language", "languages", "title", "description", "sections"}, "")
        if data.get("format") != FORMAT_ID:
            self.error("format", _("must be \u201c{expected}\u201d").format(expected=FORMAT_ID))
        key = self.key(data.get("key"), "key")
        languages = data.get("languages")
        if not isinstance(languages, list) or not languages or not all(isinstance(x, str) and LANG_RE.match(x) for x in languages):
            self.error("languages", _("must be a non-empty list of language codes such as \u201csv\u201d"))
            languages = list(LANGUAGE_CODES)
        elif len(set(languages)) != len(languages):
            self.error("languages", _("lists a language twice"))
        default = data.get("default_language")
        if not isinstance(default, str) or default not in languages:
            self.error("default_language", _("must be one of the template's languages"))
            default = languages[0]
        title = self.texts(data.get("title"), "title", languages)
        description = self.texts(data.get("description"), "description", languages, required=False)
        sections_data = data.get("sections")
        sections: list[Section] = []
        if not isinstance(sections_data, list) or not sections_data:
            self.error("sections", _("must be a non-empty list"))
            sections_data = []
        for si, sdata in enumerate(sections_data):
            sloc = f"sections[{si}]"
            if not isinstance(sdata, dict):
                self.error(sloc, _("must be an object"))
                continue
            self.unknown_keys(sdata, {"key", "title", "items", "visible_when"}, sloc)
            section = Section(
                key=self.key(sdata.get("key"), f"{sloc}.key"),
                title=self.texts(sdata.get("title"), f"{sloc}.title", languages),
                visible_when=sdata.get("visible_when"),
            )
            items_data = sdata.get("items")
            if not isinstance(items_data, list):
                self.error(f"{sloc}.items", _("must be a list"))
                items_data = []
            for ii, idata in enumerate(items_data):
                item = self.item(idata, f"{sloc}.items[{ii}]", languages)
                if item is not None:
                    section.items.append(item)
            sections.append(section)
        return TemplateContent(
            key=key, title=title, default_language=default, languages=list(languages),
            sections=sections, description=description,
        )

    def item(self, data: Any, loc: str, languages: list[str]) -> Item | None:
        if not isinstance(data, dict):
            self.error(loc, _("must be an object"))
            return None
        self.unknown_keys(
            data,
            {"key", "type", "label", "guidance", "required", "options", "visible_when", "flag_when",
             "flag_explanation", "weight", "min", "max", "private", "sources"},
            loc,
        )
        raw_type = data.get("type")
        type_known = isinstance(raw_type, str) and raw_type in ITEM_TYPES
        item_type: str = raw_type if type_known and isinstance(raw_type, str) else "short_text"
        if not type_known:
            self.error(f"{loc}.type", _("unknown type \u201c{type}\u201d").format(type=raw_type))
        required = data.get("required", False)
        if not isinstance(required, bool):
            self.error(f"{loc}.required", _("must be true or false"))
            required = False
        if item_type == "note" and required:
            self.error(f"{loc}.required", _("a note takes no answer and cannot be required"))
        weight = self.number(data.get("weight", 1), f"{loc}.weight")
        if weight is not None and weight < 0:
            self.error(f"{loc}.weight", _("must not be negative"))
        options: list[Option] = []
        options_data = data.get("options")
        if not type_known:
            pass  # type-specific checks would only echo the unknown type
        elif item_type in CHOICE_TYPES:
            if not isinstance(options_data, list) or len(options_data) < 2:
                self.error(f"{loc}.options", _("a choice item needs at least two options"))
                options_data = options_data if isinstance(options_data, list) else []
            seen: set[str] = set()
            for oi, odata in enumerate(options_data):
                oloc = f"{loc}.options[{oi}]"
                if not isinstance(odata, dict):
                    self.error(oloc, _("must be an object with value and label"))
                    continue
                self.unknown_keys(odata, {"value", "label"}, oloc)
                value = odata.get("value")
                if not isinstance(value, str) or not value:
                    self.error(f"{oloc}.value", _("must be a non-empty text"))
                    continue
                if value in seen:
                    self.error(f"{oloc}.value", _("duplicate option \u201c{value}\u201d").format(value=value))
                seen.add(value)
                options.append(Option(value, self.texts(odata.get("label"), f"{oloc}.label", languages)))
        elif options_data is not None:
            self.error(f"{loc}.options", _("only choice items have options"))
        minimum = self.number(data.get("min"), f"{loc}.min")
        maximum = self.number(data.get("max"), f"{loc}.max")
        if type_known and (minimum is not None or maximum is not None) and item_type not in ("integer", "decimal", "money"):
            self.error(f"{loc}.min" if minimum is not None else f"{loc}.max", _("only number items have a minimum or maximum"))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.error(f"{loc}.min", _("the minimum is above the maximum"))
        private = data.get("private", False)
        if not isinstance(private, bool):
            self.error(f"{loc}.private", _("must be true or false"))
            private = False
        sources = data.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(x, str) and x.strip() for x in sources):
            self.error(f"{loc}.sources", _("must be a list of non-empty texts"))
            sources = []
        flag_when = data.get("flag_when")
        flag_explanation = self.texts(data.get("flag_explanation"), f"{loc}.flag_explanation", languages, required=flag_when is not None)
        if flag_when is None and data.get("flag_explanation") is not None:
            self.error(f"{loc}.flag_explanation", _("an explanation needs a flag_when condition"))
        return Item(
            key=self.key(data.get("key"), f"{loc}.key"),
            type=item_type,
            label=self.texts(data.get("label"), f"{loc}.label", languages),
            guidance=self.texts(data.get("guidance"), f"{loc}.guidance", languages, required=False),
            required=required,
            options=options,
            visible_when=data.get("visible_when"),
            flag_when=flag_when,
            flag_explanation=flag_explanation,
            weight=weight if weight is not None else 1,
            minimum=minimum,
            maximum=maximum,
            private=private,
            sources=list(sources),
        )


PLACEHOLDER_RE = re.compile(r"\$\{([a-z][a-z0-9_]{0,63})\}")
MISSING_ANSWER = "\u2026"  # shown where a placeholder's item has no answer yet


def fill_placeholders(text: str, answer_text: Any) -> str:
    """``${key}`` in a label (as XLSForm writes them) replaced by ``answer_text(key)``, the
    answer as shown, or "…" while there is none."""
    if "${" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        shown = answer_text(m.group(1))
        return MISSING_ANSWER if shown is None or shown == "" else str(shown)

    return PLACEHOLDER_RE.sub(replace, text)


def value_kind_of(content: TemplateContent) -> conditions.KindOf:
    """The type each item's (and case fact's) answer compares in, for conditions."""
    kinds = {i.key: conditions.ITEM_VALUE_KINDS.get(i.type) for i in content.items()}

    def kind_of(kind: str, name: str) -> str | None:
        if kind == "item":
            return kinds.get(name)
        return conditions.FACT_VALUE_KINDS.get(FACT_KINDS.get(name, ""))

    return kind_of


def validate_content(content: TemplateContent, locations: dict[str, str] | None = None) -> list[Problem]:
    """Semantic checks: unique keys, conditions' references, circular visibility, translations.

    Missing translations are warnings; everything else is an error.
    """
    problems: list[Problem] = []
    item_locs: dict[str, str] = {}
    item_places: dict[str, tuple[int, int]] = {}
    section_keys: set[str] = set()
    all_keys = [i.key for i in content.items()]
    item_choices = {i.key: set(i.option_values()) for i in content.items()
                    if i.type in ("yes_no_na", "single_choice", "multiple_choice")}

    def choices_of(kind: str, name: str) -> set[str] | None:
        if not isinstance(name, str):
            return None  # reported as a bad reference; not a dictionary key
        if kind == "item":
            return item_choices.get(name)
        if FACT_KINDS.get(name) == "choice":
            return set(FACT_CHOICES[name])
        return None

    kind_of = value_kind_of(content)

    for si, section in enumerate(content.sections):
        sloc = f"sections[{si}]"
        if section.key in section_keys:
            problems.append(Problem(f"{sloc}.key", _("duplicate section key \u201c{key}\u201d").format(key=section.key)))
        section_keys.add(section.key)
        if section.visible_when is not None:
            problems += conditions.validate(section.visible_when, f"{sloc}.visible_when", all_keys, FACT_KINDS, choices_of, kind_of)
        for ii, item in enumerate(section.items):
            iloc = f"{sloc}.items[{ii}]"
            if item.key in item_locs:
                osi, oii = item_places[item.key]
                problems.append(Problem(f"{iloc}.key", _(
                    "duplicate item key \u201c{key}\u201d (also section {section}, item {item})").format(
                    key=item.key, section=osi + 1, item=oii + 1)))
            else:
                item_locs[item.key] = iloc
                item_places[item.key] = (si, ii)
            if item.visible_when is not None:
                problems += conditions.validate(item.visible_when, f"{iloc}.visible_when", all_keys, FACT_KINDS, choices_of, kind_of)
                if item.key in conditions.referenced_items(item.visible_when):
                    problems.append(Problem(f"{iloc}.visible_when", _("an item's visibility cannot depend on its own answer")))
            if item.flag_when is not None:
                problems += conditions.validate(item.flag_when, f"{iloc}.flag_when", all_keys, FACT_KINDS, choices_of, kind_of)
            for lang in content.languages:
                for name, texts in (("label", item.label), ("guidance", item.guidance), ("flag_explanation", item.flag_explanation)):
                    if texts and not texts.get(lang, "").strip():
                        problems.append(Problem(f"{iloc}.{name}.{lang}", _("missing translation"), "warning",
                                                "missing_translation"))
                for oi, option in enumerate(item.options):
                    if not option.label.get(lang, "").strip():
                        problems.append(Problem(f"{iloc}.options[{oi}].label.{lang}", _("missing translation"), "warning",
                                                "missing_translation"))
    problems += _cycles(content, item_locs)
    return problems


def _cycles(content: TemplateContent, item_locs: dict[str, str]) -> list[Problem]:
    graph = {i.key: conditions.referenced_items(i.visible_when) for i in content.items()}
    for section in content.sections:
        deps = conditions.referenced_items(section.visible_when)
        for item in section.items:
            graph[item.key] = graph[item.key] | deps
    problems: list[Problem] = []
    state: dict[str, int] = {}
    reported: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                cycle = path[path.index(dep):] + [dep] if dep in path else [node, dep]
                if dep not in reported:
                    reported.add(dep)
                    problems.append(Problem(
                        f"{item_locs.get(dep, dep)}.visible_when",
                        _("circular visibility: {cycle}").format(cycle=" \u2192 ".join(cycle)),
                    ))
            elif state.get(dep) is None:
                visit(dep, path + [dep])
        state[node] = 2

    for key in graph:
        if state.get(key) is None:
            visit(key, [key])
    return problems


MAX_NESTING = 100  # far deeper than any real template; keeps every recursive walk safe
MAX_NUMBER = 10**15 - 1  # whole numbers beyond this lose precision as floats (scores, exports)
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable_values(data: Any, limit: int = 20) -> list[Problem]:
    """Values no template may hold, located: nesting deeper than MAX_NESTING, NaN or an infinity
    (exports would not be valid JSON), text with a lone surrogate (it cannot be stored or written).

    Walks without recursion, so any depth is safe to check.
    """
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack and len(problems) < limit:
        node, loc, depth = stack.pop()
        if depth > MAX_NESTING:
            problems.append(Problem(loc, _("nested more than {limit} levels deep").format(limit=MAX_NESTING)))
        elif isinstance(node, float) and not math.isfinite(node):
            shown = "NaN" if math.isnan(node) else ("Infinity" if node > 0 else "-Infinity")
            problems.append(Problem(loc, _("{value} is not a number a template can hold").format(value=shown)))
        elif isinstance(node, int) and not isinstance(node, bool) and abs(node) > MAX_NUMBER:
            problems.append(Problem(loc, _("the number is too large (at most {limit} digits)").format(
                limit=len(str(MAX_NUMBER)))))
        elif isinstance(node, str) and _SURROGATE.search(node):
            problems.append(Problem(loc, _("the text contains an invalid character (a lone surrogate)")))
        elif isinstance(node, dict):
            for key, value in reversed(list(node.items())):
                where = f"{loc}.{key}" if loc else str(key)
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append(Problem(loc, _("the text contains an invalid character (a lone surrogate)")))
                    continue
                stack.append((value, where, depth + 1))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                stack.append((node[index], f"{loc}[{index}]", depth + 1))
    return problems


def parse_template(data: Any, *, strict: bool = True) -> TemplateContent:
    """Parse and validate a template dict; raise TemplateFormatError listing every error.

    ``strict=False`` is for drafts being edited: it returns the content whatever its problems
    (publishing checks them), and raises only when the data is not a template at all.
    """
    unstorable = unstorable_values(data)
    if unstorable:
        raise TemplateFormatError(unstorable)
    parser = _Parser()
    content = parser.parse(data)
    if not strict and content is not None:
        return content
    problems = list(parser.problems)
    if content is not None:
        problems += [p for p in validate_content(content) if p.severity == "error" and p not in problems]
    if problems or content is None:
        raise TemplateFormatError(problems)
    return content
