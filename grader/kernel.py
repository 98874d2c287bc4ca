"""Register the course's Jupyter kernel in this environment (not in $HOME).

    python -m grader.kernel

`make install`, Binder's `.binder/postBuild` and conda users run it. Every notebook names
the kernel; its environment turns on GPU memory growth, sets TensorFlow's C++ log level
and puts this environment's programs (tensorboard) first on PATH, whatever the PATH of
the Jupyter server that starts it.
"""

import os
import sys
from pathlib import Path

from ipykernel.kernelspec import install

NAME = "dl-course"
DISPLAY_NAME = "Deep learning course (Python 3)"
ENV = {"TF_FORCE_GPU_ALLOW_GROWTH": "true", "TF_CPP_MIN_LOG_LEVEL": "3"}


def register(prefix: str = sys.prefix) -> Path:
    """Install the kernelspec under `prefix`/share/jupyter/kernels; return its folder."""
    programs = os.path.dirname(sys.executable)
    # jupyter_client fills ${PATH} from the server's environment when it starts the kernel
    env = {**ENV, "PATH": programs + os.pathsep + "${PATH}"}
    return Path(install(kernel_name=NAME, display_name=DISPLAY_NAME, prefix=prefix, env=env))


if __name__ == "__main__":
    print(f"registered the course kernel {NAME!r} in {register()}")
