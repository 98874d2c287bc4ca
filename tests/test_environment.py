"""requirements.txt and environment.yml describe one environment, and it is the one installed."""

from importlib.metadata import version

import yaml
from packaging.requirements import Requirement

from tests.course_layout import ROOT


def _requirements(lines):
    return sorted(str(Requirement(line)) for line in lines
                  if line.strip() and not line.lstrip().startswith(("#", "-e")))


def _pip_section(path):
    environment = yaml.safe_load(path.read_text())
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1, f"{path.name} needs exactly one pip section"
    return pip_sections[0]


def test_environment_yml_pip_section_matches_requirements_txt():
    pinned = _requirements((ROOT / "requirements.txt").read_text().splitlines())
    pip_section = _pip_section(ROOT / "environment.yml")
    assert _requirements(pip_section) == pinned
    assert "-e ." in pip_section, "environment.yml must install the helpers package"


def test_binder_builds_the_same_environment_then_the_course_package_and_kernel():
    # repo2docker installs the environment before the repository is copied in: no `-e .`
    pip_section = _pip_section(ROOT / ".binder" / "environment.yml")
    assert _requirements(pip_section) == _requirements(
        (ROOT / "requirements.txt").read_text().splitlines())
    assert "-e ." not in pip_section
    post_build = (ROOT / ".binder" / "postBuild").read_text().splitlines()
    assert "python -m pip install --no-deps --quiet -e ." in post_build
    assert "python -m grader.kernel" in post_build


def test_installed_versions_satisfy_requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    wrong = []
    for text in _requirements(lines):
        requirement = Requirement(text)
        installed = version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            wrong.append(f"{requirement.name} {installed} does not satisfy {requirement}")
    assert not wrong, wrong
