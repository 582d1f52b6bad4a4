"""Write ``docs/checklist-coverage.md``: which behaviour each item of the two bundled checklists
checks, in which checklist, and when it raises a flag, read from the checklists' JSON.

    python scripts/checklist_coverage.py          # write the file
    python scripts/checklist_coverage.py --check  # exit 1 when it is out of date

The behaviours are those the domain brief names (equal-credit rules, supervisors' risk factors, the
research); every item of both checklists must belong to one, so a new item fails here until placed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "checklist-coverage.md"
CHECKLISTS = {"credit_decision": ("credit-decision.json", "Credit decision"),
              "advice_meeting": ("advice-meeting.json", "Advice meeting")}

# behaviour -> the items that check it, in reading order
BEHAVIOURS: list[tuple[str, list[str]]] = [
    ("Different information or service (who came, whom you addressed, what they heard)",
     ["meeting_attendees", "addressed_whom", "same_information"]),
    ("Belittling words about the business (how financiers speak about applicants)", ["neutral_language"]),
    ("Different questions: prevention (family, risk) vs promotion (growth)", ["family_questions", "growth_questions"]),
    ("Different documents asked of comparable clients", ["standard_documents"]),
    ("Incomplete applications left without notice", ["incomplete_handling"]),
    ("Discouraging, or encouraging selectively", ["discouraged", "selective_encouragement"]),
    ("Steering to microcredit or a smaller product instead of the loan asked for", ["steered_to_microcredit"]),
    ("Different standards to decide: unwritten criteria, gender-typed sectors, plan vs decision",
     ["written_criteria", "sector_judgement", "plan_strength"]),
    ("Exceptions and overrides without documentation", ["exception_made", "exception_documented"]),
    ("Varying terms: rate against the standard rate, deviations from standard terms",
     ["rate_reason", "term_deviations"]),
    ("Different standards to value collateral (loan-to-value)", ["collateral_standard"]),
    ("A guarantee demanded of a spouse or partner, or of only one co-owner", ["guarantee_from_whom"]),
    ("Processing time", ["processing_time_normal"]),
    ("Reasons for the decision given to the client", ["reasons_given"]),
    ("Referrals and follow-up offered equally", ["follow_up_offered"]),
    ("Servicing and default", ["servicing_equal"]),
    ("Self-reflection: the same for a client of another gender? (private)",
     ["same_advice", "same_terms", "what_would_differ"]),
]

_OPS = {"equals": "=", "not_equals": "≠", "in": "∈", "not_in": "∉", "contains": "∋", "lt": "<", "le": "≤",
        "gt": ">", "ge": "≥"}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        side = f"fact {value['fact']}" if "fact" in value else f"`{value['item']}`"
        return f"{side} × {value['times']}" if "times" in value else side
    if isinstance(value, list):
        return "{" + ", ".join(_value(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def condition_text(cond: dict[str, Any], nested: bool = False) -> str:
    """A condition as one readable line: ``answer ∈ {a, b}``, ``fact loan_to_value < 50``, and/or/not."""
    for combinator, word in (("all_of", " and "), ("any_of", " or ")):
        if combinator in cond:
            text = word.join(condition_text(c, True) for c in cond[combinator])
            return f"({text})" if nested and len(cond[combinator]) > 1 else text
    if "not" in cond:
        return f"not ({condition_text(cond['not'])})"
    subject = f"fact {cond['fact']}" if "fact" in cond else f"`{cond['item']}`"
    op = cond["op"]
    if op in ("answered", "not_answered"):
        return f"{subject} {op.replace('_', ' ')}"
    return f"{subject} {_OPS[op]} {_value(cond.get('value'))}"


def _items() -> dict[str, dict[str, dict[str, Any]]]:
    """template key -> item key -> item, from the JSON files."""
    out = {}
    for key, (name, _title) in CHECKLISTS.items():
        data = json.loads((ROOT / "checklists" / name).read_text(encoding="utf-8"))
        out[key] = {it["key"]: it for section in data["sections"] for it in section["items"]}
    return out


def render() -> str:
    """The markdown text of the coverage table."""
    items = _items()
    placed = [key for _behaviour, keys in BEHAVIOURS for key in keys]
    every = {key for per in items.values() for key in per}
    if set(placed) != every or len(placed) != len(set(placed)):
        raise SystemExit(f"place every item once: missing {sorted(every - set(placed))}, "
                         f"unknown {sorted(set(placed) - every)}")
    lines = [
        "# What the bundled checklists cover",
        "",
        "Generated from `checklists/credit-decision.json` and `checklists/advice-meeting.json` by",
        "`scripts/checklist_coverage.py` (a test fails when this file is out of step). CD = *Credit decision*",
        "(credit agents), AM = *Advice meeting* (business advisors). A flag is a sign to discuss, not a verdict.",
        "Facts are case facts (`loan_to_value`, `processing_days` and `rate_above_standard` are derived);",
        "a hidden item never flags. The law and research behind each item are in its `sources`.",
        "",
        "| Behaviour checked | Item | In | Flags when | Shown when |",
        "|---|---|---|---|---|",
    ]
    for behaviour, keys in BEHAVIOURS:
        for n, key in enumerate(keys):
            where = [tpl for tpl in CHECKLISTS if key in items[tpl]]
            item = items[where[0]][key]
            rules = {json.dumps(items[tpl][key].get("flag_when"), sort_keys=True) for tpl in where}
            if len(rules) > 1:
                raise SystemExit(f"{key}: the checklists flag it differently; describe both")
            flag = condition_text(item["flag_when"]) if item.get("flag_when") else "— (context, no flag)"
            shown_in = {tpl: condition_text(items[tpl][key]["visible_when"]) if items[tpl][key].get("visible_when")
                        else "always" for tpl in where}
            shown = shown_in[where[0]] if len(set(shown_in.values())) == 1 else "; ".join(
                f"{'CD' if tpl == 'credit_decision' else 'AM'}: {text}" for tpl, text in shown_in.items())
            private = " (private)" if item.get("private") else ""
            short = ", ".join("CD" if tpl == "credit_decision" else "AM" for tpl in where)
            lines.append(f"| {behaviour if n == 0 else ''} | `{key}`{private} | {short} | {flag} | {shown} |")
    counts = ", ".join(
        f"{title}: {sum(1 for it in items[key].values() if it.get('flag_when'))} flag rules in {len(items[key])} items"
        for key, (_name, title) in CHECKLISTS.items())
    lines += ["", counts + ".", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run python scripts/checklist_coverage.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_bytes(text.encode("utf-8"))
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
