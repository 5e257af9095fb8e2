"""Imported once, by the process the PDF workers are forked from (multiprocessing's fork server),
so that every worker starts with WeasyPrint already loaded: importing it costs about half a
second, paid once instead of once a worker. Never imported by the build itself."""

import gc
import os

from policypress.engine import pdf_worker

# First: a build that ends while this loads takes it along. Stopped once loaded: from then on
# the fork server's own loop ends it once the build and its workers (which watch the build
# themselves) are gone, and it must not fork with a second thread running.
stop_watching = pdf_worker.exit_when_gone(os.getppid())

import pydyf  # noqa: E402, F401
import weasyprint  # noqa: E402
import weasyprint.text.fonts  # noqa: E402, F401

from policypress.engine import artifacts  # noqa: E402, F401

# What is loaded now stays loaded: the collector need not look at it again, and the workers'
# copies of these pages are not written to (and so not copied) when it runs in them.
stop_watching()
gc.collect()
gc.freeze()
