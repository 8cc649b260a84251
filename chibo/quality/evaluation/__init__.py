"""Evaluating members and cells (rules 17–20): the pure rules (`rules`), the process along the
chain of rule 17 (`process`) and the forms of each step (`forms`)."""
