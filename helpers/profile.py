"""The course profile: how much compute a notebook spends.

``full`` (the default) is what students run: real results in minutes on a CPU.
``smoke`` is what CI runs: every cell still executes, on tiny budgets.
Choose with the environment variable ``COURSE_PROFILE``.
"""

import os

ENV_VAR = "COURSE_PROFILE"
PROFILES = ("smoke", "full")
DEFAULT_PROFILE = "full"


def current_profile() -> str:
    """Return the active profile name, ``"smoke"`` or ``"full"``.

    Raises:
        ValueError: if ``COURSE_PROFILE`` holds anything else.
    """
    value = os.environ.get(ENV_VAR, "").strip().lower() or DEFAULT_PROFILE
    if value not in PROFILES:
        raise ValueError(
            f"{ENV_VAR}={value!r} is not a course profile. Use one of {PROFILES}, "
            f"e.g. `export {ENV_VAR}=smoke` for a quick run, or unset it for the full one."
        )
    return value


def by_profile(*, smoke, full):
    """Pick a budget for the active profile: ``EPOCHS = by_profile(smoke=1, full=20)``."""
    return smoke if current_profile() == "smoke" else full


REQUIRE_GPU = "COURSE_REQUIRE_GPU"


def gpu_required() -> bool:
    """Whether this run must compute on a GPU: ``COURSE_REQUIRE_GPU=1`` (`make test-gpu`)."""
    return os.environ.get(REQUIRE_GPU, "").strip() not in ("", "0")
