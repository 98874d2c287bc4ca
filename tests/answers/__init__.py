"""Other answers to the assignments' exercises, right and wrong, one module per assignment.

Each module names its notebook and, per graded test cell, the solution cell it grades
and answers as source text: `correct` ones must pass that test cell, `wrong` ones must
fail it (see test_assignment_answers.py).
"""
