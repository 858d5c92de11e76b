"""The indicator tree read from a table (kaohe.transfer.indicators_read) before it is written
(kaohe.transfer.indicators_write): plain data, no database access."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kaohe.schemes.choices import ScoringMethod


@dataclass
class Node:
    """One indicator to be created."""

    level: int
    name: str
    where: str
    parent: "Node | None" = None
    code: str = ""
    component: object = None
    order: int = 0
    max_score: Decimal | None = None
    method: str = ScoringMethod.ENTERED
    veto_grade: str = ""
    content: str = ""
    requirement: str = ""
    responsible_text: str = ""
    responsible: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    materials: str = ""
    deadline: date | None = None
    applies: list = field(default_factory=list)
    children: list = field(default_factory=list)
    filled: bool = False


@dataclass
class Tree:
    nodes: list[Node]
    unmatched: dict[str, list[str]]
    layout: str
    suggestions: dict = field(default_factory=dict)

    def counts(self) -> dict[int, int]:
        out = {1: 0, 2: 0, 3: 0}
        for node in self.nodes:
            out[node.level] += 1
        return out
