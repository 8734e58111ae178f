"""How a number prints at a given precision, under the rounding rules a paper might use."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

RULES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "truncate": ROUND_DOWN}


def printed(value: float, decimals: int, rule: str = "half_up") -> str:
    """``value`` as printed with ``decimals`` decimals: printed(12.5, 0) == "13".

    Works on the shortest decimal form of the float (``repr``), so 12.5 is exactly a half and
    0.145 is the decimal a reader sees, not its binary neighbour 0.14499999...
    """
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=RULES[rule]))


def printed_range(low: float, high: float, decimals: int) -> str:
    """An interval as a reader sees it: printed_range(0.0707, 0.7905, 2) == "0.07 to 0.79"."""
    return f"{printed(low, decimals)} to {printed(high, decimals)}"


def printed_or(value: float | None, decimals: int, missing: str, scale: float = 1, suffix: str = "") -> str:
    """``scale * value`` printed (half up) with ``suffix``, or ``missing`` for a statistic the data
    cannot give (None): printed_or(None, 1, "–") == "–"; printed_or(0.5, 1, "–", 100, "%") == "50.0%"."""
    return missing if value is None else f"{printed(scale * value, decimals)}{suffix}"


def printed_range_or(low: float | None, high: float | None, decimals: int, missing: str, scale: float = 1) -> str:
    """An interval as :func:`printed_range` prints it, or ``missing`` when either limit is None."""
    return missing if low is None or high is None else printed_range(scale * low, scale * high, decimals)


def whole_counts_printing_as(percent: float, decimals: int, n: int) -> list[int]:
    """Every k in 0..n for which 100 k / n prints (half up) as ``percent``."""
    target = printed(percent, decimals)
    return [k for k in range(n + 1) if printed(100 * k / n, decimals) == target]


def printing_interval(text: str) -> tuple[float, float]:
    """The values that print as ``text`` when rounded half up: [low, high).

    "0.009" -> (0.0085, 0.0095): anything from 0.0085 up to, not including, 0.0095.
    """
    value = Decimal(text)
    half = Decimal(1).scaleb(value.as_tuple().exponent) / 2
    return float(value - half), float(value + half)
