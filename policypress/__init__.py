"""policypress: a school's Markdown policies as an accessible website, tagged PDFs and leaflets."""

__version__ = "0.1.0"
