"""Translations: languages, gettext catalogs, extracting and applying them to the model."""
