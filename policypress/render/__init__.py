"""Rendering: one module per output format, each turning (policy, language, variant) into bytes."""
