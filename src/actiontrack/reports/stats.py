"""Percentiles from histograms: the database counts (days → actions), Python reads the ranks."""

from __future__ import annotations

import math
from collections.abc import Mapping


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The value at ``fraction`` (0.5 = median) of the counted values, nearest rank; None if empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return float(value)
    return float(max(histogram))


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None
