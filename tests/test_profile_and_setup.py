"""helpers.profile, helpers.paths, helpers.device and helpers.setup_notebook."""

import random

import numpy as np
import pytest
import tensorflow as tf

import helpers


@pytest.mark.parametrize("value, expected", [("", "full"), ("full", "full"), (" SMOKE ", "smoke")])
def test_current_profile(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_PROFILE", value)
    assert helpers.current_profile() == expected


def test_unknown_profile_says_what_to_do(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    with pytest.raises(ValueError, match="COURSE_PROFILE='quick'.*smoke"):
        helpers.current_profile()


def test_by_profile_picks_the_active_budget(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert helpers.by_profile(smoke=1, full=50) == 1
    monkeypatch.delenv("COURSE_PROFILE")
    assert helpers.by_profile(smoke=1, full=50) == 50


def test_setup_notebook_seeds_everything_and_reports(capsys):
    helpers.setup_notebook(seed=7)
    first = (random.random(), np.random.rand(), float(tf.random.uniform(())))
    helpers.setup_notebook(seed=7)
    second = (random.random(), np.random.rand(), float(tf.random.uniform(())))
    assert first == second
    report = capsys.readouterr().out.splitlines()
    assert len(report) == 2 and report[0] == report[1]
    assert f"TensorFlow {tf.__version__} | " in report[0] and report[0].endswith("seed: 7")


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_setup_notebook_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        helpers.setup_notebook(seed=seed)


def test_device_report_names_what_tensorflow_sees():
    report = helpers.device_report()
    if tf.config.list_physical_devices("GPU"):
        assert report.startswith("GPU: ")
    else:
        assert report == "CPU only (no GPU visible to TensorFlow)"
    assert helpers.configure_gpus() == tf.config.list_physical_devices("GPU")


def test_output_dir_is_created_under_the_override(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path))
    path = helpers.output_dir("tensorboard", "run1")
    assert path == tmp_path / "tensorboard" / "run1" and path.is_dir()


def test_output_dir_defaults_outside_the_course_sources(monkeypatch):
    monkeypatch.delenv("COURSE_OUTPUT_DIR", raising=False)
    path = helpers.output_dir("unit-test")
    assert path.parent.name == "outputs" and "course" not in path.parts
    path.rmdir()


@pytest.mark.parametrize("parts", [("..", "x"), ("/etc",), ("",)])
def test_output_dir_refuses_escaping_paths(parts):
    with pytest.raises(ValueError, match="relative folder names"):
        helpers.output_dir(*parts)


@pytest.mark.parametrize("value, required", [("", False), ("0", False), ("1", True)])
def test_gpu_required_reads_the_switch(monkeypatch, value, required):
    monkeypatch.setenv("COURSE_REQUIRE_GPU", value)
    assert helpers.profile.gpu_required() is required


@pytest.mark.skipif(bool(tf.config.list_physical_devices("GPU")), reason="needs a CPU-only run")
def test_setup_notebook_refuses_a_cpu_when_a_gpu_is_required(monkeypatch):
    monkeypatch.setenv("COURSE_REQUIRE_GPU", "1")
    with pytest.raises(RuntimeError, match="sees no GPU.*nvidia-smi.*unset COURSE_REQUIRE_GPU"):
        helpers.setup_notebook(seed=1)
