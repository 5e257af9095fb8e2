"""Every output family of a build, in the order each stage runs them. A new format is a new
module with a generator (see CONTRIBUTING.md, "Add an output format") and one line here."""

from __future__ import annotations

from policypress.engine.assets import AssetGenerator
from policypress.engine.attachments import AttachmentGenerator
from policypress.engine.braille import BrailleGenerator
from policypress.engine.epubs import EpubGenerator
from policypress.engine.leaflets import LeafletGenerator
from policypress.engine.outputs import Generator
from policypress.engine.pages import PageGenerator
from policypress.engine.pdfs import PdfGenerator
from policypress.engine.reviews import ReviewsGenerator
from policypress.engine.sitemap import SitemapGenerator
from policypress.engine.versions import VersionsGenerator

GENERATORS: tuple[Generator, ...] = (
    PdfGenerator(),  # first: its workers render while the others run
    AssetGenerator(),
    AttachmentGenerator(),
    BrailleGenerator(),
    EpubGenerator(),
    LeafletGenerator(),
    PageGenerator(),
    SitemapGenerator(),
    ReviewsGenerator(),  # after the sitemap: the governors' page is not one to index
    VersionsGenerator(),  # after the sitemap: old versions are noindex
)
