"""nbgrader settings for grading this course's assignments.

A grading directory is made outside the sources (tests make one in a temporary folder);
this file is copied to its root, beside nbgrader's `source/` folder, where each
session's assignment notebook is placed as `source/<session folder>/<notebook>`.
"""

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "deep-learning-course"

# nbgrader counts any text on stderr in a test cell as a failure. In this course stderr
# carries TensorFlow's log lines, Python warnings and progress bars, never a verdict:
# a failing test raises, and that is what must cost points. So drop stderr outputs
# ("^" matches every text, the empty one included) before the grades are read.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = "^"

# A cell that runs longer than this is stopped and scores 0 (seconds).
c.Execute.timeout = 600

# Feedback for students: hidden tests and tracebacks are removed (grader.feedback).
from grader.feedback import RedactHiddenTests  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, RedactHiddenTests]
