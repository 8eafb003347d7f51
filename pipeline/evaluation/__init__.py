"""Evaluation: gold in its formats (`gold`, `gold_formats`, `standoff`, `facts`), scores (`scoring`), the evaluate
job (`evaluate`), the baseline and the regression gate.
"""
