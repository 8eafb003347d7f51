"""`summit-extract bench`: the pipeline's speed and memory (`bench`), the input formats (`bench_formats`), the HTML
report (`bench_report`).
"""
