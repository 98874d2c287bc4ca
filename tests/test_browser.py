"""JupyterLab in a real browser: headless Chromium, driven by Playwright.

Two servers start as their users start them: a student's (`python -m grader.lab WORKSPACE`,
what `make lab` runs, from a shell whose PATH lacks .venv/bin) and an instructor's
(`course-grader lab` in a folder made by `course-grader init`). In the student's lab:
the course's session folders are listed; the TensorBoard lecture runs on the course's
kernel (its setup line says the smoke profile) and the README's `%tensorboard` line shows
the scalars it wrote; after "Run All Cells" the sliders of 4/03 draw a plot that is not
blank; nbgrader's instructor tools are off. In the instructor's: Formgrader lists every
assignment without an exchange warning, and its success dialog's button is readable.
Any console error, also in Formgrader's and TensorBoard's frames, fails the test. A
screenshot of each step (and of a failing one) is saved in build/test-artifacts/browser/.
"""

import base64
import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from grader import cli, workspace
from grader.kernel import DISPLAY_NAME
from grader.lab import CONFIG, role
from tests.course_layout import ROOT, SESSIONS

ARTIFACTS = ROOT / "build" / "test-artifacts" / "browser"
TOKEN = "browser-test"
# Headless, as root (no sandbox), and nothing that reaches for the network on its own.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# The README's way to see TensorBoard in a notebook (IPython puts in the absolute folder).
TENSORBOARD_CELL = ('%load_ext tensorboard\n'
                    '%tensorboard --logdir {helpers.output_dir("tensorboard")}')
LONG = 180_000  # ms: a notebook's run on a busy 2-core machine


def chromium() -> str:
    """Debian's Chromium; the test fails (never skips) without it or without Playwright."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the browser test needs Playwright: .venv/bin/pip install "
                    "'playwright>=1.40,<2' (never `playwright install`: it uses the system's "
                    "Chromium)")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the browser test needs Chromium: `make browser` installs it as root with "
                    "apt-get (or: sudo apt-get install chromium)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A JupyterLab server started by one of the course's launchers; stopped by stop()."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        options = ["--no-browser", f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={TOKEN}"]
        with open(log, "w") as out:
            self.process = subprocess.Popen([*command, *options], env=env, cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError):
                if self.get("/api/status").status == 200:
                    return
            time.sleep(0.5)
        pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{self.tail()}")

    def get(self, path: str):
        request = urllib.request.Request(self.url + path,
                                         headers={"Authorization": f"token {TOKEN}"})
        try:
            return urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as error:
            return error

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-30:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the server shuts its kernels down
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def stop_tensorboards(tmp: Path) -> None:
    """TensorBoards that `%tensorboard` started: their info files are in the servers' TMPDIR."""
    for info in (tmp / ".tensorboard-info").glob("pid-*.info"):
        with contextlib.suppress(ProcessLookupError, ValueError, KeyError):
            os.kill(json.loads(info.read_text())["pid"], signal.SIGTERM)


def plain_shell_env(tmp_path: Path) -> dict:
    """The suite's environment with PATH as a plain shell has it (no .venv/bin)."""
    programs = os.path.dirname(sys.executable)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != programs]
    (tmp_path / "tmp").mkdir()
    return {**os.environ, "PATH": os.pathsep.join(path), "COURSE_PROFILE": "smoke",
            "COURSE_OUTPUT_DIR": str(tmp_path / "outputs"), "TMPDIR": str(tmp_path / "tmp")}


class Steps:
    """Numbered steps, each ending with a screenshot (and a failing one with one too)."""

    def __init__(self):
        self.number = 0
        self.seconds = {}
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        ARTIFACTS.mkdir(parents=True)

    @contextlib.contextmanager
    def __call__(self, page, name: str):
        self.number += 1
        stem = f"{self.number:02d}-{name}"
        start = time.monotonic()
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                page.screenshot(path=ARTIFACTS / f"{stem}-FAILED.png")
            raise
        page.screenshot(path=ARTIFACTS / f"{stem}.png")
        self.seconds[name] = round(time.monotonic() - start, 1)


def ink(data_url: str) -> float:
    """The fraction of an image's pixels that are drawn: opaque and not near white."""
    image = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    pixels = np.asarray(image.convert("RGBA"))
    return float(((pixels[..., 3] > 128) & (pixels[..., :3].min(axis=-1) < 200)).mean())


def _luminance(rgb) -> float:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgba(css: str) -> tuple[list[float], float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return values[:3], values[3] if len(values) > 3 else 1.0


def _over(top, alpha, below):
    return [alpha * t + (1 - alpha) * b for t, b in zip(top, below, strict=True)]


STYLE_CHAIN = """element => {
  const chain = [];
  for (let e = element; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    chain.push([style.backgroundColor, parseFloat(style.opacity)]);
  }
  return [getComputedStyle(element).color, chain];
}"""


def contrast(locator) -> float:
    """WCAG contrast of an element's text against what is drawn behind it, as rendered:
    its own and its ancestors' backgrounds (over white) and opacities."""
    color, chain = locator.evaluate(STYLE_CHAIN)
    behind = [255.0, 255.0, 255.0]
    for background, _ in reversed(chain[1:]):
        rgb, alpha = _rgba(background)
        behind = _over(rgb, alpha, behind)
    rgb, alpha = _rgba(chain[0][0])
    face = _over(rgb, alpha, behind)
    rgb, alpha = _rgba(color)
    text = _over(rgb, alpha, face)
    opacity = 1.0
    for _, own in chain:
        opacity *= own
    face, text = _over(face, opacity, behind), _over(text, opacity, behind)
    light, dark = sorted((_luminance(face), _luminance(text)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show


def start_run_all(page) -> None:
    """Run > Run All Cells; wait until the notebook has started."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='busy']").wait_for()


def wait_until_run(page) -> str:
    """Wait until the notebook has run every cell; return all its outputs' text."""
    page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=LONG)
    # from the DOM: also the outputs scrolled out of view
    shown = "\n".join(page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all_text_contents())
    assert "Traceback" not in shown, shown
    return shown


def open_notebook(page, session: str, name: str) -> None:
    """Open a notebook from the file browser, as a student does, and wait for its kernel."""
    page.locator(".jp-BreadCrumbs-home").click()
    page.locator(".jp-DirListing-item", has_text=session).dblclick()
    page.locator(".jp-DirListing-item", has_text=name).dblclick()
    page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").first.wait_for()
    page.get_by_text(f"{DISPLAY_NAME} | Idle").wait_for(timeout=LONG)
    assert page.locator(f"{NOTEBOOK} .jp-KernelName").inner_text() == DISPLAY_NAME


def check_student_lab(page, server: Server) -> None:
    """The course's sessions are listed; nbgrader's instructor tools are off, and without
    an exchange the Assignment List too."""
    page.goto(f"{server.url}/lab?reset&token={TOKEN}")
    listing = page.locator(".jp-DirListing-content")
    for session in SESSIONS:
        listing.get_by_text(session, exact=True).wait_for()
    assert page.locator("#jp-MainMenu").get_by_text("Nbgrader").count() == 0
    assert page.get_by_text("Create Assignment").count() == 0
    for panel in ("/formgrader", "/assignments", "/formgraders"):
        assert server.get(panel).status == 404, panel


def check_setup_line_and_tensorboard(page, steps) -> None:
    """The TensorBoard lecture on the course's kernel, then the README's %tensorboard."""
    with steps(page, "student-setup-cell"):
        open_notebook(page, "session1_basics", "06_tensorboard.ipynb")
        start_run_all(page)
        shown = wait_until_run(page)
        assert re.search(r"TensorFlow \S+ \| .* \| profile: smoke", shown), shown
        page.locator(f"{NOTEBOOK} .jp-OutputArea-output", has_text="profile: smoke") \
            .scroll_into_view_if_needed()
    with steps(page, "student-tensorboard"):
        page.locator(f"{NOTEBOOK} .jp-Cell").last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # a new cell below the last one
        page.keyboard.press("Enter")
        page.keyboard.insert_text(TENSORBOARD_CELL)
        page.keyboard.press("Shift+Enter")
        board = page.frame_locator("iframe[id^='tensorboard-frame']")
        board.get_by_text("cost").first.wait_for(timeout=LONG)  # a scalar the lecture wrote
        page.locator("iframe[id^='tensorboard-frame']").scroll_into_view_if_needed()


def check_sliders(page) -> None:
    """After Run All, 4/03's sliders are there and their plot is drawn."""
    open_notebook(page, "session4_optim", "03_why_momentum_works.ipynb")
    start_run_all(page)
    wait_until_run(page)
    sliders = page.locator(f"{NOTEBOOK} .widget-interact")
    assert sliders.locator(".widget-slider").count() == 3
    image = sliders.locator(".widget-output img")
    image.wait_for()
    image.scroll_into_view_if_needed()
    previous = None  # the sliders redraw when the browser moves a value onto their steps
    while (source := image.get_attribute("src")) != previous:
        previous = source
        page.wait_for_timeout(1500)
    assert ink(source) > 0.02, f"the sliders' plot is blank ({ink(source):.1%} drawn)"
    # JupyterLab's own toast (shown within seconds of opening) asks nothing of a student here
    assert page.get_by_text("official Jupyter news").count() == 0, "the news toast is on"


def check_formgrader(page, server: Server, steps) -> None:
    """Formgrader lists every assignment, warns of nothing, and its OK button can be read."""
    with steps(page, "instructor-formgrader"):
        page.goto(f"{server.url}/lab?reset&token={TOKEN}")
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        page.locator("#jp-mainmenu-nbgrader").get_by_text("Formgrader", exact=True).click()
        formgrader = page.frame_locator("#formgrader-iframe iframe")
        names = formgrader.locator("tbody td.name")
        names.filter(has_text=SESSIONS[0]).wait_for()
        assert names.all_inner_texts() == list(SESSIONS)
        assert formgrader.locator(".alert-warning").count() == 0
    with steps(page, "instructor-success-dialog"):
        row = formgrader.locator("tr", has_text=SESSIONS[0])
        row.locator("td.assign a").click()  # Generate: make the student version
        dialog = formgrader.locator("#success-modal.in")
        dialog.wait_for(timeout=LONG)
        button = dialog.locator(".modal-footer button")
        page.wait_for_timeout(500)  # Bootstrap's fade-in
        ratio = contrast(button)
        assert ratio >= 4.5, f"the dialog's {button.inner_text()} button: contrast {ratio:.2f}"


def lectures_only():
    """The workspace's files but the assignments: their student versions take nbgrader
    ~15 s of CPU to make (tests/test_workspace.py checks them), and no step here needs one."""
    return {rel: source for rel, source in workspace.course_files().items()
            if not workspace.is_assignment(rel)}


def test_the_course_in_jupyterlab(tmp_path, monkeypatch):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    env = plain_shell_env(tmp_path)
    space, course = tmp_path / "workspace", tmp_path / "course"
    space.mkdir()
    lectures = lectures_only()
    monkeypatch.setattr(workspace, "course_files", lambda: lectures)
    errors = []

    def console(message):  # no message is filtered: none has been harmless so far
        if message.type == "error":
            errors.append(f"{message.location.get('url', '')}: {message.text}")

    steps = Steps()
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(stop_tensorboards, tmp_path / "tmp")
        student = Server([sys.executable, "-m", "grader.lab", str(space)], env,
                         tmp_path / "student-lab.log")
        cleanup.callback(student.stop)
        cli.main(["init", str(course)])
        instructor = Server([sys.executable, "-m", "grader.cli", "--course-dir", str(course),
                             "lab"], env, tmp_path / "instructor-lab.log")
        cleanup.callback(instructor.stop)
        workspace.Workspace(space).sync()  # while the servers start
        student.wait()
        instructor.wait()
        playwright = cleanup.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        cleanup.callback(browser.close)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.on("console", console)  # the page's and its frames' (Formgrader, TensorBoard)
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        with steps(page, "student-file-browser"):
            check_student_lab(page, student)
        check_setup_line_and_tensorboard(page, steps)
        with steps(page, "student-sliders"):
            check_sliders(page)
        check_formgrader(page, instructor, steps)
    assert not errors, "console errors:\n" + "\n".join(errors)
    print(f"browser test: {time.monotonic() - started:.0f} s, of which steps {steps.seconds}; "
          f"screenshots in {ARTIFACTS}")


def test_the_student_lab_has_the_assignment_list_only_with_an_exchange(tmp_path):
    space = tmp_path / "workspace"
    space.mkdir()
    assert role(space, instructor=False) == "student"
    (tmp_path / "exchange").mkdir()
    (space / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    assert role(space, instructor=False) == "student-exchange"
    assert role(space, instructor=True) == "instructor"
    for name in ("student", "student-exchange", "instructor"):
        assert (CONFIG / name / "jupyter_server_config.json").is_file()
