"""Drawing a paper from a bank: a pure, documented function of (population, rule, seed).

Algorithm "kaohe-paper/1" (docs/exams.md repeats it so anyone can re-implement it), built on
the same canonical JSON and SHA-256 counter hashing as the on-site draws ("kaohe-draw/1"):

1. The population is every question of the bank in use when the sitting was created:
   {key "Q<id, 8 digits>", type, topics (sorted), difficulty, recent}, sorted by key.
   `recent` is how many of the unit's last N sittings of the same exam had the question.
2. The rule lists lines {type, topic, difficulty, count, points} in order, and N.
3. digest = SHA-256 of the canonical JSON of
   {"algorithm": "kaohe-paper/1", "population": [...], "rule": {...}, "seed": "..."}.
4. Each line in turn takes `count` questions among those not yet taken that match its type
   (and topic, difficulty when given), ordered by (recent, SHA-256(digest ‖ "q:" ‖ key), key):
   questions the unit has not had come first, then the least recently seen (the weighting is
   lexicographic: an unseen question always beats a seen one); the hash decides the rest.
5. The paper lists the taken questions by type (单选, 多选, 判断, 填空, 简答), each section in
   the order the lines took them. Layouts (question order within sections, option order)
   for a variant V (paper version "A"/"B", or an examinee's key online) sort by
   SHA-256(digest ‖ "order:" ‖ V ‖ ":" ‖ key) and SHA-256(digest ‖ "opt:" ‖ V ‖ ":" ‖ key ‖ ":" ‖ i).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kaohe.common.text import join_list
from kaohe.onsite.draw_engine import canonical_json, normalise_seed

from .choices import TYPE_ORDER, Difficulty, QuestionType

ALGORITHM = "kaohe-paper/1"
MAX_QUESTIONS = 200


class PaperError(ValueError):
    """The inputs are malformed or the bank cannot satisfy the rule (message says why)."""


@dataclass(frozen=True)
class PaperOutcome:
    digest: str
    paper: tuple[dict, ...]  # {"key", "type", "points"}

    @property
    def full_marks(self) -> Decimal:
        return sum((Decimal(p["points"]) for p in self.paper), Decimal("0"))


def question_key(pk: int) -> str:
    return f"Q{pk:08d}"


def key_pk(key: str) -> int:
    return int(key[1:])


def _sha(*parts: str) -> str:
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()


def normalise_population(questions: list[dict]) -> list[dict]:
    out = [
        {
            "key": str(q["key"]),
            "type": str(q["type"]),
            "topics": sorted({str(t) for t in q.get("topics") or []}),
            "difficulty": str(q.get("difficulty") or ""),
            "recent": int(q.get("recent") or 0),
        }
        for q in questions
    ]
    out.sort(key=lambda q: q["key"])
    return out


def _line_label(line: dict) -> str:
    parts = [str(QuestionType(line["type"]).label)]
    if line["topic"]:
        parts.append(_("专题“%(topic)s”") % {"topic": line["topic"]})
    if line["difficulty"]:
        parts.append(_("难度“%(level)s”") % {"level": Difficulty(line["difficulty"]).label})
    return join_list(parts)


def normalise_rule(rule: dict) -> dict:
    lines = []
    total = 0
    for index, line in enumerate(rule.get("lines") or [], start=1):
        qtype = str(line.get("type") or "")
        if qtype not in TYPE_ORDER:
            raise PaperError(_("第 %(n)s 条组卷规则的题型无效。") % {"n": index})
        try:
            count = int(line.get("count"))
            points = Decimal(str(line.get("points")))
        except (TypeError, ValueError, InvalidOperation):
            raise PaperError(
                _("第 %(n)s 条组卷规则的题数或分值不是数字。") % {"n": index}
            ) from None
        if count < 1 or not points.is_finite() or points <= 0:
            raise PaperError(_("第 %(n)s 条组卷规则的题数和分值必须大于 0。") % {"n": index})
        total += count
        lines.append(
            {
                "type": qtype,
                "topic": str(line.get("topic") or ""),
                "difficulty": str(line.get("difficulty") or ""),
                "count": count,
                "points": format(points.normalize(), "f"),
            }
        )
    if not lines:
        raise PaperError(_("测试还没有组卷规则（每种题型的题数和分值）。"))
    if total > MAX_QUESTIONS:
        raise PaperError(_("一张试卷最多 %(n)s 道题。") % {"n": MAX_QUESTIONS})
    return {"lines": lines, "recent_window": int(rule.get("recent_window") or 0)}


def paper_digest(population: list[dict], rule: dict, seed: str) -> str:
    payload = {"algorithm": ALGORITHM, "population": population, "rule": rule, "seed": seed}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _matches(question: dict, line: dict) -> bool:
    return (
        question["type"] == line["type"]
        and (not line["topic"] or line["topic"] in question["topics"])
        and (not line["difficulty"] or line["difficulty"] == question["difficulty"])
    )


def shortages(population: list[dict], rule: dict) -> list[str]:
    """Every line the bank cannot fill (taking the lines in order), named by type/topic."""
    taken: set[str] = set()
    problems = []
    for line in rule["lines"]:
        found = [q["key"] for q in population if q["key"] not in taken and _matches(q, line)]
        if len(found) < line["count"]:
            problems.append(
                _(
                    "%(line)s：题库中可用的在用试题只有 %(found)s 道，"
                    "规则需要 %(needed)s 道（还差 %(missing)s 道）。"
                )
                % {
                    "line": _line_label(line),
                    "found": len(found),
                    "needed": line["count"],
                    "missing": line["count"] - len(found),
                }
            )
        taken.update(found[: line["count"]])
    return problems


def run_paper(population, rule, seed) -> PaperOutcome:
    population = normalise_population(population)
    rule = normalise_rule(rule)
    try:
        seed = normalise_seed(seed)
    except ValueError as exc:
        raise PaperError(str(exc)) from None
    problems = shortages(population, rule)
    if problems:
        raise PaperError(
            _("题库试题不足，无法组卷：%(problems)s") % {"problems": " ".join(problems)}
        )
    digest = paper_digest(population, rule, seed)
    taken: set[str] = set()
    by_type: dict[str, list[dict]] = {t: [] for t in TYPE_ORDER}
    for line in rule["lines"]:
        candidates = [q for q in population if q["key"] not in taken and _matches(q, line)]
        candidates.sort(key=lambda q: (q["recent"], _sha(digest, "q:", q["key"]), q["key"]))
        for question in candidates[: line["count"]]:
            taken.add(question["key"])
            by_type[line["type"]].append(
                {"key": question["key"], "type": line["type"], "points": line["points"]}
            )
    paper = tuple(item for qtype in TYPE_ORDER for item in by_type[qtype])
    return PaperOutcome(digest, paper)


def layout(
    digest: str,
    paper: list[dict],
    variant: str,
    *,
    shuffle_questions: bool,
    shuffle_options: bool,
    option_counts: dict[str, int],
) -> list[dict]:
    """[{"q": key, "t": type, "opts": [original option indices in display order]}] for a variant."""
    out = []
    for qtype in TYPE_ORDER:
        section = [p for p in paper if p["type"] == qtype]
        if shuffle_questions:
            section.sort(key=lambda p: _sha(digest, "order:", variant, ":", p["key"]))
        for item in section:
            count = option_counts.get(item["key"], 0)
            order = list(range(count))
            if shuffle_options and qtype in ("single", "multiple"):
                order.sort(key=lambda i: _sha(digest, "opt:", variant, ":", item["key"], f":{i}"))
            out.append({"q": item["key"], "t": qtype, "opts": order})
    return out
