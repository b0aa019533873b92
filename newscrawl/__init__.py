"""newscrawl: crawl news portals, extract clean article records, archive them."""

from newscrawl.extract import ExtractProfile, extract_article
from newscrawl.record import Article

__version__ = "0.1.0"

__all__ = ["Article", "ExtractProfile", "__version__", "extract_article"]
