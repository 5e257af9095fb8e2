"""Imported once, by the process the PDF workers are forked from (multiprocessing's fork server),
so that every worker starts with WeasyPrint already loaded: importing it costs about half a
second, paid once instead of once a worker. Never imported by the build itself."""

import gc

from policypress.engine import pdf_worker

pdf_worker.exit_with_parent()  # first: a build that ends while this loads takes it with it

import pydyf  # noqa: E402, F401
import weasyprint  # noqa: E402
import weasyprint.text.fonts  # noqa: E402, F401

from policypress.engine import artifacts  # noqa: E402, F401

# What is loaded now stays loaded: the collector need not look at it again, and the workers'
# copies of these pages are not written to (and so not copied) when it runs in them.
gc.collect()
gc.freeze()
