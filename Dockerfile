# The course's GPU image: JupyterLab on the course, TensorFlow's CUDA build installed.
#   docker build -t dl-course-gpu .
#   docker run --rm --gpus all -p 8888:8888 dl-course-gpu     (open the 127.0.0.1 URL it prints)
# Keep your work across containers: add -v dl-course-work:/home/student/course/workspace
#
# The base is slim Debian with Python 3.11, not a CUDA image: tensorflow[and-cuda] brings
# CUDA, cuDNN and NVIDIA's other libraries as pip wheels, so a CUDA base would hold a second,
# unused copy of them; the driver comes from the host (NVIDIA Container Toolkit, --gpus).
# Bookworm is also the Debian that CI's CPU job runs in, with the same system packages.
FROM python:3.11-slim-bookworm

# make runs the course's commands, bubblewrap is the grading sandbox, chromium the browser
# that the test suite drives, tini stops JupyterLab and its kernels cleanly on docker stop.
# Not pinned: a Debian stable release only receives security fixes, and its mirrors drop
# the versions they replace, so a pin would only break the build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap chromium git make tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 --shell /bin/bash student \
    && install -d -o student -g student /home/student/course /home/student/.cache

# Numeric, so that a runtime can tell it is not root without reading /etc/passwd.
USER 1000:1000
WORKDIR /home/student/course
COPY --chown=student:student . .

# The build sees no GPU, so the Makefile is told to install TensorFlow's CUDA build.
# The cache mount keeps pip's downloads between builds, out of the image.
RUN --mount=type=cache,target=/home/student/.cache/pip,uid=1000,gid=1000 \
    make install TF_GPU='tensorflow[and-cuda]~=2.21.0'

ENV PATH=/home/student/course/.venv/bin:$PATH \
    TF_FORCE_GPU_ALLOW_GROWTH=true

EXPOSE 8888
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8888/api', timeout=4)"]
ENTRYPOINT ["tini", "-g", "--"]
CMD ["make", "lab", "LAB_ARGS=--ip=0.0.0.0 --no-browser"]
