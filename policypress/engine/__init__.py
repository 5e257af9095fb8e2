"""The engine: what to build from which inputs, the cache, the PDF workers, and the writer."""
