"""requirements.txt and environment.yml describe one environment, and it is the one installed."""

from importlib.metadata import version

import yaml
from packaging.requirements import Requirement

from tests.course_layout import ROOT


def _requirements(lines):
    return sorted(str(Requirement(line)) for line in lines
                  if line.strip() and not line.lstrip().startswith(("#", "-e")))


def test_environment_yml_pip_section_matches_requirements_txt():
    pinned = _requirements((ROOT / "requirements.txt").read_text().splitlines())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip section"
    assert _requirements(pip_sections[0]) == pinned
    assert "-e ." in pip_sections[0], "environment.yml must install the helpers package"


def test_installed_versions_satisfy_requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    wrong = []
    for text in _requirements(lines):
        requirement = Requirement(text)
        installed = version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            wrong.append(f"{requirement.name} {installed} does not satisfy {requirement}")
    assert not wrong, wrong
