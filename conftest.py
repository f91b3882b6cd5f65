"""pytest set-up shared by tests/ and notebooks/: nbval compares chosen cells with a tolerance.

See tests/nbval_tolerance.py for why and how (cell metadata "nbval-tolerance").
"""

pytest_plugins = ["tests.nbval_tolerance"]
