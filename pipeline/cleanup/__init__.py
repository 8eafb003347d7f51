"""Cleanup: raw text to clean paragraphs (`steps`) with a map back to the raw text (`textmap`), and the title,
byline and date at the top (`metadata`).
"""
