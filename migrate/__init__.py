"""jekyll-migrate: move a Jekyll site to Hugo, WordPress or Ghost without losing a post, an image or a URL."""

__version__ = "0.1.0"
