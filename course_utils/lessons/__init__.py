"""Figures and widgets of the individual lessons, one module per notebook.

They are not the lesson: the notebooks call them so that the code a learner reads
in the notebook is the code that teaches.
"""
