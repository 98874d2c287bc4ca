"""The sandbox around each of a submission's two processes: bubblewrap, no network.

The student's kernel and the test process each run in one. Each sees the system's
programs and libraries, this Python environment and the `helpers` and `grader`
packages, all read-only; its own working folder read-write; a private /tmp; no network
(they talk to the grader and to each other over Unix sockets in `runtime_dir`); a user
id of nobody, no capabilities, its own process tree; and resource limits set with
prlimit. The course folder, the gradebook, the source notebooks, the course secret and
other submissions are not in their view at all.
"""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from grader.limits import Limits

KERNEL_NAME = "course-sandbox"
_SYSTEM_DIRS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/opt")
_HOME = "/tmp/home"


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox on this machine."""


def require_bubblewrap() -> str:
    """The path of `bwrap`, or a SandboxUnavailable that says how to get it."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, and student code is never run outside a "
            "sandbox. Install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: "
            "sudo dnf install bubblewrap) and grade again."
        )
    return path


def _read_only_roots() -> list[str]:
    """Folders the sandbox needs to run Python, TensorFlow, `helpers` and `grader`."""
    import grader
    import helpers

    roots = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
             os.path.dirname(helpers.__file__), os.path.dirname(grader.__file__)}
    roots = sorted(os.path.realpath(r) for r in roots)
    # Drop a root that lies inside another one.
    return [r for r in roots if not any(r != o and r.startswith(o + os.sep) for o in roots)]


def _system_binds() -> list[str]:
    args = []
    for folder in _SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    return args


def _bwrap(work_dir: Path, runtime_dir: Path, limits: Limits, threads: int,
           env: dict[str, str]) -> list[str]:
    """bubblewrap and prlimit around a program working in `work_dir`."""
    args = [require_bubblewrap(), "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534", *_system_binds(),
            "--dev", "/dev", "--proc", "/proc",
            "--size", str(limits.file_bytes), "--tmpfs", "/tmp", "--dir", _HOME]
    for root in _read_only_roots():  # after /tmp: the environment may live under /tmp
        args += ["--ro-bind", root, root]
    keras_data = Path.home() / ".keras" / "datasets"
    if keras_data.is_dir():  # the MNIST download, shared read-only
        args += ["--ro-bind", str(keras_data), f"{_HOME}/.keras/datasets"]
    args += ["--bind", str(runtime_dir), str(runtime_dir),
             "--bind", str(work_dir), str(work_dir), "--chdir", str(work_dir), "--clearenv"]
    env = {"HOME": _HOME, "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
           "MPLBACKEND": "Agg", "COURSE_OUTPUT_DIR": "/tmp/outputs",
           "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": str(threads),
           "TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": "1", **env}
    if "COURSE_PROFILE" in os.environ:
        env["COURSE_PROFILE"] = os.environ["COURSE_PROFILE"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    return [*args, "--", "prlimit", f"--as={limits.memory_bytes}",
            f"--fsize={limits.file_bytes}", "--core=0", "--"]


def kernel_command(work_dir: Path, runtime_dir: Path, limits: Limits,
                   threads: int = 1) -> list[str]:
    """The argv of a sandboxed IPython kernel working in `work_dir`: the student's process."""
    # -P and ignore_cwd: files in the working folder never shadow real modules.
    return [*_bwrap(work_dir, runtime_dir, limits, threads, {}),
            sys.executable, "-P", "-m", "ipykernel_launcher", "-f", "{connection_file}",
            "--IPKernelApp.ignore_cwd=True", "--HistoryManager.hist_file=:memory:"]


def test_command(work_dir: Path, runtime_dir: Path, limits: Limits,
                 threads: int = 1) -> list[str]:
    """The argv of the sandboxed test process (see `grader.test_process`)."""
    return [*_bwrap(work_dir, runtime_dir, limits, threads, {"PYTHONUNBUFFERED": "1"}),
            sys.executable, "-P", "-m", "grader.test_process"]


def write_kernelspec(jupyter_dir: Path, argv: list[str]) -> str:
    """Install the sandboxed kernel as `KERNEL_NAME` under `jupyter_dir` (a JUPYTER_PATH)."""
    folder = jupyter_dir / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": "Sandboxed grading kernel", "language": "python",
            # Signals sent to bwrap would not reach the kernel: interrupt by message.
            "interrupt_mode": "message"}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return KERNEL_NAME


def self_test(limits: Limits) -> None:
    """Run `1 + 1` in a sandboxed kernel, or raise SandboxUnavailable saying why not."""
    with tempfile.TemporaryDirectory(prefix="sandbox-check-") as folder:
        folder = Path(folder)
        work, runtime = folder / "work", folder / "runtime"
        work.mkdir()
        runtime.mkdir()
        write_kernelspec(folder / "jupyter", kernel_command(work, runtime, limits))
        specs = KernelSpecManager(kernel_dirs=[str(folder / "jupyter" / "kernels")])
        manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs,
                                transport="ipc", connection_file=str(runtime / "kernel.json"))
        log, printed = folder / "kernel.log", []
        with open(log, "w") as output:
            manager.start_kernel(stdout=output, stderr=output)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive("print(1 + 1)", timeout=60, output_hook=lambda msg: (
                printed.append(msg["content"].get("text", ""))))
        except (RuntimeError, TimeoutError) as error:  # it died, or never answered
            printed.append(f"{type(error).__name__}: {error}")
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        if "".join(printed).strip() != "2":
            raise SandboxUnavailable(
                f"a sandboxed kernel could not run `1 + 1` ({''.join(printed).strip()}); "
                f"kernel log: {log.read_text()[-800:].strip() or '(empty)'}. "
                "Nothing was graded.")
