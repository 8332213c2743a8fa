"""The data build: raw official files -> normalised, validated, simplified store.

Run ``python -m geodata build --help``.
"""
