"""Benchmarks at the scale of a power user (30,000 contacts), with floors and naive baselines."""
