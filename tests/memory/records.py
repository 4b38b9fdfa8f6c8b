"""Record files for the memory tests."""

from __future__ import annotations

from pathlib import Path

LESSON = """---
wellspent: memory/1
type: lesson
id: fcf-accommodation-sustainment
title: "Fair Chance Fund: accommodation sustained for 18 months was achievable for homeless 18-24s"
date: 2018-03
place: England (7 projects)
policy_area: homelessness
author_role: evaluator
tried: Payment by results for accommodation, education and employment outcomes for homeless young people
for_whom: Homeless 18-24 year olds not in priority need
result: worked
evidence: Final evaluation of the Fair Chance Fund
sources: [{title: "Fair Chance Fund evaluation: final report", url: "https://www.gov.uk/government/publications"}]
tags: [rough sleeping, payment by results]
---

Keyworkers with small caseloads kept young people in their tenancies.
"""

DECISION = """---
wellspent: memory/1
type: decision
title: Pay for sustained tenancies, not entry into accommodation
date: 2019-06-12
author_role: commissioner
context: Entry outcomes were being claimed for placements that broke down within weeks.
options: [pay on entry, pay at 3, 6 and 12 months, pay at 18 months only]
decision: Pay at 3, 6 and 12 months
rationale: Spreads provider risk while rewarding sustainment.
review_date: 2021
links: [{record: fcf-accommodation-sustainment}]
---
We will review this when the first cohort reaches 12 months.
"""

EVALUATION = """---
wellspent: memory/1
type: evaluation
title: Youth Engagement Fund evaluation
date: 2019
author_role: evaluator
design: Matched comparison group
evidence_strength: 3
effect_sizes: ["+0.2 SD attendance", "-12% NEET at 12 months"]
---
"""

REVIEW = """---
wellspent: memory/1
type: review
title: Post-implementation review of the rough sleeping contract
date: 2022-01
author_role: programme manager
reviewed: The 2019-2021 rough sleeping outcomes contract
findings: Outcome verification took longer than planned.
---
Verification by the council's own data team added three months.
"""


def lesson(name: str, result: str, body: str, place: str = "Manchester", date: str = "2020") -> str:
    """A small lesson record."""
    return (f"---\nwellspent: memory/1\ntype: lesson\nid: {name}\ntitle: Lesson {name}\ndate: '{date}'\n"
            f"place: {place}\nauthor_role: evaluator\ntried: Peer mentoring\nresult: {result}\n---\n\n{body}\n")


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``folder/name`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
