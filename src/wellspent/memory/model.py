"""The front matter of a memory record (``wellspent: memory/1``): strict pydantic v2 models, one per type.

Common fields: ``wellspent``, ``type``, ``id`` (kebab-case; derived from the title when absent), ``title``,
``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, kept as text), ``place``, ``policy_area``, ``author_role``,
``links``, ``sources``, ``tags``. Then per type:

- ``lesson``: ``tried`` and ``result`` (worked | failed | mixed | unknown) required; ``for_whom``, ``evidence``;
- ``decision``: ``decision`` required; ``context``, ``options``, ``rationale``, ``review_date``;
- ``evaluation``: ``design`` and ``evidence_strength`` (1-5, Maryland Scientific Methods Scale) required;
  ``effect_sizes``, ``source``;
- ``review``: ``reviewed`` (what was reviewed) and ``findings`` required;
- ``appraisal`` and ``contract`` (saved by ``wellspent appraise|contract SPEC --save``): ``spec_file``,
  ``spec_sha256`` and ``library_version`` required, then the headline results (``npsv``, ``bcr``, ``fiscal_bcr``,
  ``payback_year``; ``outcome_payments_total``, ``investor_irr``, ``money_multiple``, ``leverage``); the body holds
  the spec (a ``yaml`` fence) and the full result (a ``json`` fence).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wellspent.specs.common import known_policy_area

FORMAT = "memory/1"
RECORD_TYPES = ("lesson", "decision", "evaluation", "review", "appraisal", "contract")
RESULTS = ("worked", "failed", "mixed", "unknown")
LINK_KINDS = ("registry", "appraisal", "contract", "record")
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
REGISTRY_ID_PATTERN = r"^INDIGO-POJ-\d{4}$"
MAX_ID_LENGTH = 80

Text = Annotated[str, Field(min_length=1)]
DateText = Annotated[str, Field(pattern=DATE_PATTERN)]


def slugify(title: str) -> str:
    """A kebab-case id from a title (at most 80 characters, cut at a word).

    >>> slugify("Fair Chance Fund: accommodation sustained for 18 months!")
    'fair-chance-fund-accommodation-sustained-for-18-months'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0]
    return slug or "record"


class Strict(BaseModel):
    """Unknown fields are errors, no type coercion, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Link(Strict):
    """A link to something else: exactly one of ``registry`` (an INDIGO project id), ``appraisal`` or
    ``contract`` (a spec file path) or ``record`` (another memory record's id)."""

    registry: Annotated[str, Field(pattern=REGISTRY_ID_PATTERN)] | None = None
    appraisal: Text | None = None
    contract: Text | None = None
    record: Annotated[str, Field(pattern=ID_PATTERN)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Link:
        given = [kind for kind in LINK_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(f"a link names exactly one of {', '.join(LINK_KINDS)} (got {len(given)})")
        for kind in ("appraisal", "contract"):
            value = getattr(self, kind)
            if value is not None and not value.endswith((".yaml", ".yml")):
                raise ValueError(f"{kind} link must be a spec file path ending in .yaml: {value!r}")
        return self

    @property
    def kind(self) -> str:
        """``registry``, ``appraisal``, ``contract`` or ``record``."""
        return next(kind for kind in LINK_KINDS if getattr(self, kind) is not None)

    @property
    def target(self) -> str:
        """What the link points to."""
        value = getattr(self, self.kind)
        assert isinstance(value, str)
        return value


class Source(Strict):
    """A publication a record draws on."""

    title: Text
    url: Text | None = None


class Common(Strict):
    """Fields every record has."""

    wellspent: Literal["memory/1"]
    type: str
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)] | None = None
    title: Text
    date: DateText
    place: Text | None = None
    policy_area: str | None = None
    author_role: Text
    links: list[Link] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)

    @field_validator("date", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        """``date: 2018`` is read by YAML as a number; it means the year."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("policy_area")
    @classmethod
    def _known_area(cls, value: str | None) -> str | None:
        return None if value is None else known_policy_area(value)

    @property
    def record_id(self) -> str:
        """The id given, else one derived from the title."""
        return self.id or slugify(self.title)


class Lesson(Common):
    """Something tried, for whom, and whether it worked."""

    type: Literal["lesson"]
    tried: Text
    for_whom: Text | None = None
    result: Literal["worked", "failed", "mixed", "unknown"]
    evidence: Text | None = None


class Decision(Common):
    """A decision taken, the options weighed and why."""

    type: Literal["decision"]
    context: Text | None = None
    options: list[Text] = Field(default_factory=list)
    decision: Text
    rationale: Text | None = None
    review_date: DateText | None = None

    @field_validator("review_date", mode="before")
    @classmethod
    def _review_year_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Evaluation(Common):
    """An evaluation: its design, strength of evidence (Maryland SMS 1-5) and effect sizes."""

    type: Literal["evaluation"]
    design: Text
    evidence_strength: Annotated[int, Field(ge=1, le=5)]
    effect_sizes: list[Text] = Field(default_factory=list)
    source: Text | None = None


class Review(Common):
    """A post-implementation review."""

    type: Literal["review"]
    reviewed: Text
    findings: Text


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class SavedRun(Common):
    """What a saved appraisal or contract run assumed: the spec file, its hash and the unit-cost library."""

    spec_file: Text
    spec_sha256: Sha256
    library_version: Text


class Appraisal(SavedRun):
    """An appraisal as run and saved (``wellspent appraise SPEC --save``)."""

    type: Literal["appraisal"]
    npsv: float | None = None
    bcr: float | None = None
    fiscal_bcr: float | None = None
    payback_year: int | None = None


class Contract(SavedRun):
    """A contract model as run and saved (``wellspent contract SPEC --save``)."""

    type: Literal["contract"]
    outcome_payments_total: float | None = None
    investor_irr: float | None = None
    money_multiple: float | None = None
    leverage: float | None = None


FrontMatter = Lesson | Decision | Evaluation | Review | Appraisal | Contract

MODELS: dict[str, type[Lesson] | type[Decision] | type[Evaluation] | type[Review] | type[Appraisal]
             | type[Contract]] = {
    "lesson": Lesson, "decision": Decision, "evaluation": Evaluation, "review": Review, "appraisal": Appraisal,
    "contract": Contract}

FIELD_ORDER = ("wellspent", "type", "id", "title", "date", "place", "policy_area", "author_role",
               "tried", "for_whom", "result", "evidence",
               "context", "options", "decision", "rationale", "review_date",
               "design", "evidence_strength", "effect_sizes", "source",
               "reviewed", "findings",
               "spec_file", "spec_sha256", "library_version", "npsv", "bcr", "fiscal_bcr", "payback_year",
               "outcome_payments_total", "investor_irr", "money_multiple", "leverage",
               "links", "sources", "tags")
"""The order fields are written in (:func:`wellspent.memory.files.write_record`)."""


def front_matter_dict(front: FrontMatter) -> dict[str, Any]:
    """The front matter as plain data in :data:`FIELD_ORDER`, the id filled in, empty values left out."""
    data = front.model_dump(mode="json", exclude_none=True)
    data["id"] = front.record_id
    data["links"] = [{link.kind: link.target} for link in front.links]
    ordered = {name: data[name] for name in FIELD_ORDER if name in data and data[name] not in ([], None)}
    return ordered


def search_text(front: FrontMatter) -> str:
    """The front-matter text a search looks at besides title and body."""
    data = front.model_dump(mode="json", exclude_none=True)
    parts: list[str] = []
    for name in ("tried", "for_whom", "evidence", "context", "decision", "rationale", "design", "reviewed",
                 "findings", "place", "source", "spec_file"):
        if isinstance(data.get(name), str):
            parts.append(data[name])
    for name in ("options", "effect_sizes", "tags"):
        parts.extend(str(item) for item in data.get(name, []))
    return " ".join(parts)
