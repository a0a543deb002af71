"""Draft -> JSON, Markdown, HTML pages, Atom feed."""
