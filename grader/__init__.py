"""Grading untrusted submissions with nbgrader: intake, sandboxed execution, batch and CLI."""
