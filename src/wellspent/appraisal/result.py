"""The appraisal result: headline figures, and the working by year, outcome and agency (schema
``wellspent.appraisal/1``, DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wellspent.appraisal.engine import AppraisalArrays
from wellspent.appraisal.inputs import KINDS, AppraisalModel
from wellspent.finite import finite_or_none

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

SCHEMA = "wellspent.appraisal/1"


@dataclass(frozen=True)
class AppraisalResult:
    """One appraisal's result. For a multi-draw run, ``draw`` selects which draw the figures describe."""

    model: AppraisalModel
    arrays: AppraisalArrays
    draw: int = 0

    @property
    def name(self) -> str:
        return self.model.spec.name

    @property
    def pv_costs(self) -> float:
        """PV of all costs, £ (price-year prices, discounted)."""
        return float(self.arrays.pv_costs[self.draw])

    @property
    def pv_benefits(self) -> dict[str, float]:
        """PV of benefits by kind, the transfer-payment part of fiscal, and total public value, £.

        ``total = fiscal + economic + social − transfers`` (ADR 0007)."""
        by_kind = {kind: float(self.arrays.pv_benefits_by_kind[self.draw, i]) for i, kind in enumerate(KINDS)}
        return {**by_kind, "transfers": float(self.arrays.pv_transfers[self.draw]),
                "total": float(self.arrays.pv_benefits[self.draw])}

    @property
    def npsv(self) -> float:
        return float(self.arrays.npsv[self.draw])

    @property
    def bcr(self) -> float | None:
        return finite_or_none(self.arrays.bcr[self.draw])

    @property
    def fiscal_bcr(self) -> float | None:
        return finite_or_none(self.arrays.fiscal_bcr[self.draw])

    @property
    def payback_year(self) -> int | None:
        year = int(self.arrays.payback_year[self.draw])
        return None if year < 0 else year

    def by_agency(self) -> list[dict[str, Any]]:
        """Who pays and who benefits: every agency that bears a cost or receives a fiscal benefit."""
        a, d = self.arrays, self.draw
        rows = []
        for i, agency in enumerate(self.model.agencies):
            cost = float(a.pv_costs_by_agency[d, i])
            fiscal = float(a.pv_fiscal_by_agency[d, i])
            bears_cost = bool(a.costs_by_agency[d, i].any())
            benefits = bool(a.fiscal_by_agency[d, i].any()) or self._has_fiscal_outcome(i)
            if not (bears_cost or benefits):
                continue
            rows.append({
                "agency": agency,
                "pv_cost": cost,
                "pv_fiscal_benefit": fiscal,
                "pv_cashable": float(a.pv_cashable_by_agency[d, i]),
                "net": fiscal - cost,
            })
        return rows

    def _has_fiscal_outcome(self, agency_index: int) -> bool:
        inputs = self.model.inputs
        return bool(((inputs.outcome_agency == agency_index) & (inputs.outcome_kind == 0)).any())

    def years(self) -> list[dict[str, Any]]:
        """Undiscounted real £ per appraisal year, with the discount factor applied to each."""
        a, d = self.arrays, self.draw
        start = self.model.spec.start_year
        return [
            {
                "year": t,
                "calendar_year": start + t,
                "discount_factor": float(self.model.inputs.discount_factors[t]),
                "costs": float(a.costs[d, t]),
                "benefits_fiscal": float(a.benefits_by_kind[d, 0, t]),
                "benefits_economic": float(a.benefits_by_kind[d, 1, t]),
                "benefits_social": float(a.benefits_by_kind[d, 2, t]),
                "transfers": float(a.transfers[d, t]),
            }
            for t in range(self.model.inputs.horizon)
        ]

    def outcomes(self) -> list[dict[str, Any]]:
        """Per outcome: gross successes, PV of net benefit, and the working behind the unit value."""
        a, d, inputs = self.arrays, self.draw, self.model.inputs
        rows = []
        for o, (name, src) in enumerate(zip(self.model.outcome_names, self.model.outcome_sources, strict=True)):
            rows.append({
                "name": name,
                "successes": float(a.successes[d, o]),
                "pv_benefit": float(a.pv_outcome_benefits[d, o]),
                "pv_benefit_before_adjustments": float(a.pv_outcome_gross_benefits[d, o]),
                "kind": src.kind,
                "agency": src.agency,
                "cashable": src.cashable,
                "transfer_share": src.transfer_share,
                "unit_cost": src.unit_cost,
                "source": src.source,
                "source_amount": src.amount,
                "source_price_year": src.price_year,
                "per": src.per,
                "unit_value": float(inputs.unit_value[d, o]),
                "confidence": src.confidence,
                "optimism_bias_correction": float(inputs.benefit_correction[d, o]),
                "verified": src.verified,
            })
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready document, schema ``wellspent.appraisal/1`` (DESIGN §3)."""
        spec = self.model.spec
        return {
            "schema": SCHEMA,
            "name": spec.name,
            "price_year": spec.price_year,
            "start_year": spec.start_year,
            "horizon": spec.horizon,
            "discounting": self.model.discounting,
            "deflator": self.model.deflator_series,
            "pv_costs": self.pv_costs,
            "pv_benefits": self.pv_benefits,
            "npsv": self.npsv,
            "bcr": self.bcr,
            "fiscal_bcr": self.fiscal_bcr,
            "payback_year": self.payback_year,
            "by_agency": self.by_agency(),
            "years": self.years(),
            "outcomes": self.outcomes(),
            "warnings": list(self.model.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The year table as a pandas DataFrame indexed by appraisal year (needs the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - exercised only without the extra
            raise ImportError(
                "AppraisalResult.to_frame() needs pandas: pip install 'wellspent[pandas]'"
            ) from None
        frame = pd.DataFrame(self.years()).set_index("year")
        frame["discounted_costs"] = frame["costs"] * frame["discount_factor"]
        frame["discounted_benefits"] = (
            frame[["benefits_fiscal", "benefits_economic", "benefits_social"]].sum(axis=1) - frame["transfers"]
        ) * frame["discount_factor"]
        return frame
