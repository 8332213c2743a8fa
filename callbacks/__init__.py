"""Callbacks, one module per panel: unpack inputs -> atlas call -> figure/components."""
