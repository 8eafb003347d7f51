"""Reading inputs: article files by format (`formats`), the articles a command names (`sources`), one file to text
(`reader`).
"""
