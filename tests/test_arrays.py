"""splitcheck.arrays' median and isin are np.median's and np.isin's to the bit (value,
type, shape), without importing numpy.ma.

Truth: numpy itself: ``np.median`` on random inputs of every shape the code uses (lists of
floats, 1-D and 2-D arrays along each axis, odd and even lengths, ties, NaNs, infinities,
signed zeros, float32) and on the cases handed to numpy (integers, empty, 0-d);
``np.isin`` on shuffled grids with NaNs, infinities and signed zeros.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from splitcheck.arrays import isin, median, percentile


def _same(ours, theirs) -> None:
    assert type(ours) is type(theirs)
    ours_a, theirs_a = np.asarray(ours), np.asarray(theirs)
    assert ours_a.dtype == theirs_a.dtype and ours_a.shape == theirs_a.shape
    assert ours_a.tobytes() == theirs_a.tobytes()


def _same_with_warnings(ours, theirs, *args) -> None:
    """Same result and the same warnings (an infinity minus itself warns in both)."""
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        got = ours(*args)
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        want = theirs(*args)
    _same(got, want)
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]


def _inputs(rng: np.random.Generator):
    for n in (1, 2, 3, 4, 5, 10, 11, 100, 101, 3601):
        x = rng.normal(300, 40, n)
        yield x
        yield x.round(0)  # ties
        yield x.tolist()
        yield x.astype(np.float32)
        for special in (np.nan, np.inf, -np.inf, -0.0):
            y = x.copy()
            y[rng.integers(0, n)] = special
            yield y
    yield [0.0, -0.0]
    yield [-0.0, -0.0, 0.0]
    yield [np.nan, np.nan]


def test_one_dimensional_inputs_give_np_medians_bits():
    rng = np.random.default_rng(1)
    for x in _inputs(rng):
        _same(median(x), np.median(x))


@pytest.mark.parametrize("axis", [None, 0, 1, -1, -2])
def test_two_dimensional_inputs_along_each_axis(axis):
    rng = np.random.default_rng(2)
    for shape in ((1, 1), (3, 4), (4, 3), (7, 6), (50, 9)):
        x = rng.normal(0, 1, shape)
        _same(median(x, axis=axis), np.median(x, axis=axis))
        x[rng.integers(0, shape[0]), rng.integers(0, shape[1])] = np.nan
        _same(median(x, axis=axis), np.median(x, axis=axis))
        _same(median(x.tolist(), axis=axis), np.median(x.tolist(), axis=axis))


def test_cases_left_to_numpy_behave_as_numpy():
    for x in ([3, 1, 2], np.arange(10), np.float64(2.5), [True, False, True]):
        _same(median(x), np.median(x))
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        ours = median([])
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        theirs = np.median([])
    _same(ours, theirs)
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]
    assert theirs_warned  # numpy does warn about an empty median
    with pytest.raises(np.exceptions.AxisError):
        median(np.ones((2, 2)), axis=2)


def test_neither_imports_numpy_ma():
    code = (
        "import sys; from splitcheck.arrays import isin, median, percentile; "
        "median([1.0, float('nan'), 3.0]); median([[1.0, 2.0], [3.0, 4.0]], axis=0); "
        "print('numpy.ma' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_isin_gives_np_isins_answer():
    rng = np.random.default_rng(4)
    for n, m in ((1, 1), (5, 3), (100, 3601), (3601, 40), (0, 5)):
        grid = np.arange(m, dtype=np.float64) * 1.0
        a = rng.integers(-2, m + 2, n).astype(np.float64) + rng.choice([0.0, 0.5], n)
        b = rng.permutation(grid)
        _same(isin(a, b), np.isin(a, b))
        ints, int_grid = a.astype(np.int64), b.astype(np.int64)
        _same(isin(ints, int_grid), np.isin(ints, int_grid))
        a[: n // 3] = np.nan
        b[:1] = np.nan
        _same(isin(a, b), np.isin(a, b))
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e300])
    _same(isin(specials, specials[::-1]), np.isin(specials, specials[::-1]))
    _same(isin(specials, [-0.0]), np.isin(specials, [-0.0]))
    _same(isin(np.ones((2, 3)), [1.0]), np.isin(np.ones((2, 3)), [1.0]))
    _same(isin([1.0, 2.0], []), np.isin([1.0, 2.0], []))
    _same(isin([1, 2], [1.0]), np.isin([1, 2], [1.0]))


def test_percentile_gives_np_percentiles_bits():
    rng = np.random.default_rng(6)
    qs = (0, 2.5, 25, 50, 75, 90, 95, 97.5, 100, 33.3, [25, 90], [2.5, 97.5], (0, 100))
    count = 0
    for x in _inputs(rng):
        for q in qs:
            _same_with_warnings(percentile, np.percentile, x, q)
            count += 1
    assert count > 500
    _same(percentile(np.arange(10), 50), np.percentile(np.arange(10), 50))  # left to numpy
    _same(percentile([1.0, 2.0], [[50]]), np.percentile([1.0, 2.0], [[50]]))  # left to numpy
    for bad in (101, -1, [50, 100.5]):
        with pytest.raises(ValueError, match="range"):
            percentile([1.0, 2.0], bad)
