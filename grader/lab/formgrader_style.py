"""A Jupyter server extension: Formgrader's pages with the course's fixes to their style.

Every Formgrader page extends nbgrader's `base.tpl`; this adds formgrader.css (why: see
there) to that template's head. The instructor's server enables it (grader.lab).
"""

from pathlib import Path

from jinja2 import BaseLoader

STYLE = Path(__file__).with_name("formgrader.css")
BASE_TEMPLATE = "base.tpl"


class StyledTemplates(BaseLoader):
    """nbgrader's templates as `loader` finds them, with `css` in the head of base.tpl."""

    def __init__(self, loader: BaseLoader, css: str):
        self.loader = loader
        self.css = css

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template == BASE_TEMPLATE:
            if "</head>" not in source:
                raise RuntimeError(f"{filename} has no </head>: grader/lab/formgrader_style.py "
                                   "no longer fits this nbgrader version")
            source = source.replace("</head>", f"<style>\n{self.css}</style>\n</head>", 1)
        return source, filename, uptodate

    def list_templates(self):
        return self.loader.list_templates()


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    """Nothing to do yet: nbgrader's Formgrader may load after this extension."""


async def _start_jupyter_server_extension(serverapp):
    """Once every extension is loaded: wrap the template loader of nbgrader's Formgrader."""
    environment = serverapp.web_app.settings.get("nbgrader_jinja2_env")
    if environment is None:
        serverapp.log.warning("grader.lab.formgrader_style: nbgrader's Formgrader is not "
                              "loaded; its style is left as it is")
        return
    environment.loader = StyledTemplates(environment.loader, STYLE.read_text())
