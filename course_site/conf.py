"""Sphinx settings of the course site: how it looks and how notebooks run.

`course_site/build.py` stages the sources and adds what depends on the build (the profile's
cache folder, the kernel, the per-cell timeout); run the site with it, not with sphinx-build.
"""

project = "Deep learning with TensorFlow"
html_title = project
language = "en"
extensions = ["myst_nb"]

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,  # the .ipynb as published: a student version for assignments
}

# Lectures run through jupyter-cache: a notebook whose code is unchanged is not run again.
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
# Assignments are shown as students get them: their answer cells raise NotImplementedError.
nb_execution_excludepatterns = ["assignment*.ipynb"]
