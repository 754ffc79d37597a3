"""``np.median``, ``np.percentile`` and ``np.isin``, to the bit, without importing
``numpy.ma``.

numpy 2's median ends every call on a float array with a NaN check that asks
``np.ma.isMaskedArray``; its percentile (choosing what to partition) and its ``isin`` of
floats call ``np.unique``, which asks ``np.ma.is_masked``. The first such call imports
``numpy.ma`` (its ~9,000 lines and the ``inspect.signature`` calls it makes while
building its wrappers), 10-20 ms of CPU in a one-file ``splitcheck analyze``, whose
every analysis takes medians and percentiles. Use these instead of ``np.median``,
``np.percentile`` and ``np.isin`` in the library (tests/test_startup_imports.py fails
when an analysis imports numpy.ma).

:func:`median` is numpy's ``_median`` for a plain array along one axis or all of them,
with the same partition, the same ``mean`` of the middle element(s) and the same NaN rule
(a NaN anywhere gives NaN); :func:`percentile` is numpy's ``_quantile`` for the default
(linear) method over the whole array, step by step, with the positions to partition
deduplicated by ``sorted(set(...))`` instead of ``np.unique`` (the same positions, so the
same partition); :func:`isin` looks the values up in the sorted second array.
Anything else (empty, 0-d or non-numeric input, a subclass) goes to numpy itself.
tests/test_arrays.py checks each against numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def median(values: Any, axis: int | None = None) -> Any:
    """``np.median(values, axis=axis)``: the same value, type and shape."""
    a = np.asanyarray(values)
    if type(a) is not np.ndarray or a.ndim == 0 or a.size == 0 or a.dtype.kind not in "fc":
        return np.median(a, axis=axis)  # no float NaN check, or a case left to numpy
    if axis is None:
        a, axis = a.ravel(), 0  # as np.partition(a, kth, axis=None) does
    else:
        axis = axis + a.ndim if -a.ndim <= axis < 0 else axis
        if not 0 <= axis < a.ndim:
            return np.median(a, axis=axis)  # numpy's error
    n = a.shape[axis]
    half = n // 2
    kth = [half - 1, half, -1] if n % 2 == 0 else [half, -1]  # -1: a NaN sorts last
    part = np.partition(a, kth, axis=axis)
    middle = [slice(None)] * part.ndim
    middle[axis] = slice(half - 1, half + 1) if n % 2 == 0 else slice(half, half + 1)
    result = np.mean(part[tuple(middle)], axis=axis)
    last = part.take(-1, axis=axis)
    nan = np.isnan(last)
    if not nan.any():
        return result
    if isinstance(result, np.generic):
        return last
    np.copyto(result, last, where=nan)
    return result


def percentile(values: Any, q: Any) -> Any:
    """``np.percentile(values, q)`` (linear, over the whole array), ``q`` a number or a
    1-D sequence of percentages."""
    a = np.asanyarray(values)
    if type(a) is not np.ndarray or a.size == 0 or a.dtype.kind != "f":
        return np.percentile(a, q)
    weak_q = type(q) in (int, float)  # numpy: weak promotion for the result type
    quantiles = np.true_divide(q, 100, out=...)
    if quantiles.ndim > 1 or not (quantiles.min() >= 0 and quantiles.max() <= 1):
        return np.percentile(a, q)  # numpy's error
    arr = a.flatten()
    n = arr.shape[0]
    virtual = np.asanyarray((n - 1) * quantiles)
    previous = np.floor(virtual, out=...)
    following = np.add(previous, 1, out=...)
    above = virtual >= n - 1  # past the last value: the last value
    previous[above], following[above] = -1, -1
    below = virtual < 0
    previous[below], following[below] = 0, 0
    nan_at = np.isnan(virtual)
    previous[nan_at], following[nan_at] = -1, -1
    previous, following = previous.astype(np.intp), following.astype(np.intp)
    kth = sorted({0, -1, *previous.ravel().tolist(), *following.ravel().tolist()})
    arr.partition(np.array(kth, dtype=np.intp), axis=0)
    has_nan = np.isnan(arr[-1, ...])  # a NaN sorts last
    gamma = np.asanyarray(np.asanyarray(virtual - previous), dtype=virtual.dtype)
    gamma = float(gamma) if weak_q else gamma.reshape(virtual.shape)
    low, high = arr[previous], arr[following]
    step = high - low  # numpy's _lerp: from the nearer end
    result = np.add(low, step * gamma, out=...)
    np.subtract(
        high,
        step * (1 - gamma),
        out=result,
        where=gamma >= 0.5,
        casting="unsafe",
        dtype=type(result.dtype),
    )
    if result.ndim == 0:
        result = result[()]
    if np.any(has_nan):
        if result.ndim == 0:
            return arr[-1]
        np.copyto(result, arr[-1, ...], where=has_nan)
    return result


def isin(values: Any, test_values: Any) -> np.ndarray:
    """``np.isin(values, test_values)``: which of ``values`` equal one of ``test_values``
    (NaN equals nothing, -0.0 equals 0.0), in the shape of ``values``."""
    a, b = np.asanyarray(values), np.asanyarray(test_values)
    if type(a) is not np.ndarray or type(b) is not np.ndarray or b.size == 0:
        return np.isin(a, b)
    if a.dtype.kind != b.dtype.kind or a.dtype.kind not in "fiu":
        return np.isin(a, b)  # mixed kinds: numpy's own promotion
    b = np.sort(b, axis=None)
    at = np.minimum(np.searchsorted(b, a), b.size - 1)
    return b[at] == a
