"""helpers.checks: the tools public tests rely on must catch what they claim to."""

import math

import numpy as np
import pytest
import tensorflow as tf

from helpers import checks


def test_rel_error_is_zero_for_equal_and_scale_free():
    x = np.array([1.0, -2.0, 3.0])
    assert checks.rel_error(x, x) == 0.0
    assert checks.rel_error(x * 1e6, x * 1e6 * (1 + 1e-7)) == pytest.approx(5e-8, rel=1e-3)


def test_rel_error_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="equal shapes"):
        checks.rel_error(np.zeros(3), np.zeros(4))


def test_numerical_gradient_matches_analytic_and_leaves_input_alone():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    grad = checks.numerical_gradient(lambda v: np.sum(v**3), x)
    assert checks.rel_error(grad, 3 * before**2) < 1e-8
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("bad_h", [0, -1e-3])
def test_numerical_gradient_rejects_bad_step(bad_h):
    with pytest.raises(ValueError, match="h must be positive"):
        checks.numerical_gradient(np.sum, np.ones(2), h=bad_h)


def test_numerical_gradient_rejects_non_callable():
    with pytest.raises(TypeError, match="function"):
        checks.numerical_gradient(3.0, np.ones(2))


def test_assert_close_accepts_tensors_and_close_values():
    checks.assert_close(tf.constant([1.0, 2.0]), [1.0, 2.0 + 1e-7])


def test_assert_close_reports_where_and_how_far():
    with pytest.raises(AssertionError, match=r"at index \(1,\): expected 2, got 2.5"):
        checks.assert_close(np.array([1.0, 2.5]), np.array([1.0, 2.0]), name="grad")


def test_assert_close_reports_shape_none_and_nan():
    with pytest.raises(AssertionError, match=r"shape \(3,\), expected \(2,\)"):
        checks.assert_close(np.zeros(3), np.zeros(2))
    with pytest.raises(AssertionError, match="forget to `return`"):
        checks.assert_close(None, np.zeros(2))
    with pytest.raises(AssertionError, match="NaN"):
        checks.assert_close(np.array([np.nan]), np.array([1.0]))


def test_assert_shape_and_dtype():
    checks.assert_shape(tf.zeros((2, 3)), (2, 3))
    checks.assert_dtype(tf.zeros(2), tf.float32)
    with pytest.raises(AssertionError, match=r"x has shape \(2, 3\), expected \(3, 2\)"):
        checks.assert_shape(np.zeros((2, 3)), (3, 2), name="x")
    with pytest.raises(AssertionError, match="dtype float64, expected float32"):
        checks.assert_dtype(np.zeros(2), np.float32)


def test_hidden_rng_is_fixed_and_public_unless_the_grader_seeds_it(monkeypatch):
    monkeypatch.delenv("COURSE_HIDDEN_SEED", raising=False)
    public = checks.hidden_rng(7).normal(size=3)
    np.testing.assert_array_equal(public, checks.hidden_rng(7).normal(size=3))
    assert not np.array_equal(public, checks.hidden_rng(8).normal(size=3))
    monkeypatch.setenv("COURSE_HIDDEN_SEED", "12345")  # what the grader's test process sets
    graded = checks.hidden_rng(7).normal(size=3)
    assert not np.array_equal(public, graded)
    np.testing.assert_array_equal(graded, checks.hidden_rng(7).normal(size=3))


def test_forbidden_raises_its_message_inside_the_block_and_restores_after():
    original = math.sqrt
    with checks.forbidden(math, "sqrt", "no square roots here"):
        with pytest.raises(AssertionError, match="no square roots here"):
            math.sqrt(4.0)
    assert math.sqrt is original and math.sqrt(4.0) == 2.0


def test_hidden_case_replaces_a_failed_checks_text_with_the_authors_message():
    with pytest.raises(checks.HiddenTestFailed) as caught:
        with checks.hidden_case("negative inputs count too"):
            checks.assert_close(np.array([-4.0]), [16.0], name="secret")
    assert str(caught.value) == "negative inputs count too"
    assert caught.value.__suppress_context__  # the check's text (16, -4) is not chained


def test_hidden_case_names_a_crash_by_its_type_only():
    with pytest.raises(checks.HiddenTestFailed, match=r"^shapes \(your code raised "
                       r"ValueError on a hidden case\)$"):
        with checks.hidden_case("shapes"):
            raise ValueError("input (7, 3) is secret")


def test_hidden_case_lets_a_passing_test_through():
    with checks.hidden_case("never shown"):
        result = 2 + 2
    assert result == 4
