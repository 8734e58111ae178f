"""The E-value of a risk ratio (VanderWeele and Ding, Ann Intern Med 2017;167:268).

In a module of its own, standard library only: the robustness analysis and the comparison with
the later evidence both use it, and the comparison step need not import lifelines or statsmodels.
"""

from __future__ import annotations

import math
from typing import Any


def _e_value_of(rr: float) -> float:
    rr = 1 / rr if rr < 1 else rr
    return rr + math.sqrt(rr * (rr - 1))


def e_value(rr: float, lo: float, hi: float) -> dict[str, Any]:
    """E-value of a risk ratio and of its confidence limit nearer the null (VanderWeele and Ding 2017).

    Written by hand (a two-line formula; Ann Intern Med 167:268): for RR < 1 take 1/RR, then
    E = RR + sqrt(RR (RR - 1)). ``e_value`` is the strength of association, with both treatment
    and outcome, that an unmeasured confounder would need to explain away the estimate;
    ``e_value_ci`` the strength needed to move the confidence interval to include 1 (1 if it
    already does).
    """
    if not 0 < lo <= rr <= hi:
        raise ValueError(f"need 0 < lo <= rr <= hi; got {lo}, {rr}, {hi}")
    nearer = hi if hi < 1 else lo if lo > 1 else None
    return {
        "rr": rr,
        "ci_lower": lo,
        "ci_upper": hi,
        "e_value": _e_value_of(rr),
        "ci_limit_nearer_null": nearer,
        "e_value_ci": 1.0 if nearer is None else _e_value_of(nearer),
    }
