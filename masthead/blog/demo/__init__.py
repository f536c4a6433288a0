"""Demo content for a fresh install: authors, categories, posts and drawn hero images."""
