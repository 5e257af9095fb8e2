"""Thin entry point: ``python build.py ...`` is the same command group as ``policypress ...``."""

from policypress.cli import main

if __name__ == "__main__":
    main()
