"""Draw speed: population size vs. time for run_draw (pure; no database needed).

Run: DEBUG=1 .venv/bin/python bench/bench_onsite_draw.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kaohe.onsite.draw_engine import run_draw  # noqa: E402

LEVELS = ["head", "leadership", "middle", "general", "enforcement"]
STAFF = {
    "count_min": 10,
    "count_max": 15,
    "exclude_strata": ["head"],
    "quotas": [
        {"label": "中层干部", "strata": ["middle"], "min_percent": "50"},
        {"label": "班子成员", "strata": ["leadership"], "min": 1},
    ],
}
SIMPLE = {"count_min": 5, "count_max": 5}
GROUPS = {"per_group": 1, "group_count": 5}


def population(size: int) -> list[dict]:
    return [
        {
            "key": f"P{i:06d}",
            "label": f"人员{i}",
            "stratum": LEVELS[i % 5],
            "group": f"部门{i % 37}",
        }
        for i in range(size)
    ]


def main() -> None:
    print(f"{'size':>7} {'rule':>8} {'runs':>5} {'ms/draw':>9}")
    for size in (28, 1000, 20000):
        members = population(size)
        for name, rule in (("staff", STAFF), ("count5", SIMPLE), ("groups", GROUPS)):
            runs = 50 if size < 20000 else 5
            start = time.perf_counter()
            for seed in range(runs):
                run_draw(members, rule, str(seed))
            elapsed = (time.perf_counter() - start) * 1000 / runs
            print(f"{size:>7} {name:>8} {runs:>5} {elapsed:>9.2f}")


if __name__ == "__main__":
    main()
