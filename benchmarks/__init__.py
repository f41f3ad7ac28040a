"""Reproducible performance measurements: `python -m benchmarks NAME`; never part of `make test`."""
