"""The course's kernel: registered in the environment, with its settings and programs."""

import os

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from grader import kernel


def _run(client, code: str) -> str:
    out = []
    reply = client.execute_interactive(
        code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(out)


def test_the_kernel_sets_its_environment_whatever_the_servers_path(tmp_path, monkeypatch):
    folder = kernel.register(prefix=str(tmp_path))
    assert folder == tmp_path / "share/jupyter/kernels" / kernel.NAME
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # a plain shell's PATH, without .venv/bin
    monkeypatch.delenv("TF_FORCE_GPU_ALLOW_GROWTH", raising=False)
    specs = KernelSpecManager(kernel_dirs=[str(folder.parent)])
    manager = KernelManager(kernel_name=kernel.NAME, kernel_spec_manager=specs)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        out = _run(client, "import os, shutil\nprint(os.environ['TF_FORCE_GPU_ALLOW_GROWTH'],"
                           " os.environ['TF_CPP_MIN_LOG_LEVEL'], shutil.which('tensorboard'))")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    growth, level, tensorboard = out.split()
    assert (growth, level) == ("true", "3")
    assert os.path.dirname(tensorboard) == os.path.dirname(os.sys.executable)
