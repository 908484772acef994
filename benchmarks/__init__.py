"""Benchmarks run by hand (never by the tests); see benchmarks/README.md.

The package is also a tiny Django app installed only by benchmarks.bench_settings:
it holds the plain wagtail.contrib.forms page the submission rush compares with.
"""
