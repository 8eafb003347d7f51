"""Extraction: the spaCy pipeline (`model`, `components`), the summit facts (`facts`), the name tables
(`countries`, `organizations`, `identity`), and `extract`, which runs them over one article.
"""
