"""Engine line of ``make bench``: the full death-day enumeration, timed in this process, against
lifelines' ``logrank_test`` called in a loop on a sample of the same layouts."""

from __future__ import annotations

import time

import numpy as np
from lifelines.statistics import logrank_test

from .event_space import enumerate_chunk, space_size


def engine_vs_lifelines(n=(29, 16), deaths=(3, 7), horizon=21, split=11, sample=300, seed=1) -> dict[str, float]:
    """Seconds for the whole enumeration (one process, one chunk), seconds per layout for the
    engine and for lifelines, and their ratio."""
    enumerate_chunk(n, (1, 1), 4, 2, "0.5", 0, 1, 0.01, 10)  # compile (or load) the numba code first
    start = time.perf_counter()
    enumerate_chunk(n, deaths, horizon, split, "0.009", 0, 1, 0.01, 2000)
    engine_total = time.perf_counter() - start
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for _ in range(sample):
        a, b = rng.integers(1, horizon + 1, deaths[0]), rng.integers(1, horizon + 1, deaths[1])
        logrank_test(
            np.r_[a, [horizon] * (n[0] - deaths[0])],
            np.r_[b, [horizon] * (n[1] - deaths[1])],
            np.r_[[1] * deaths[0], [0] * (n[0] - deaths[0])],
            np.r_[[1] * deaths[1], [0] * (n[1] - deaths[1])],
        )
    lifelines_each = (time.perf_counter() - start) / sample
    engine_each = engine_total / space_size(*deaths, horizon)
    return {
        "enumeration_seconds": engine_total,
        "engine_seconds_per_layout": engine_each,
        "lifelines_seconds_per_call": lifelines_each,
        "ratio": lifelines_each / engine_each,
    }


def main() -> None:
    """Print the engine line of the benchmark."""
    r = engine_vs_lifelines()
    print(f"{'full death-day enumeration, one process (target <= 30 s)':<52} {r['enumeration_seconds']:6.1f} s")
    print(f"{'  engine per layout':<52} {r['engine_seconds_per_layout'] * 1e9:6.1f} ns")
    print(f"{'  lifelines logrank_test per call':<52} {r['lifelines_seconds_per_call'] * 1e3:6.1f} ms")
    print(f"{'  ratio (target >= 100,000)':<52} {r['ratio']:,.0f}")


if __name__ == "__main__":
    main()
