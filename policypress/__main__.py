"""Allow ``python -m policypress``."""

from policypress.cli import main

main()
