"""Where pages come from: files and folders, standard input, URLs, feeds, sitemaps, WARC archives."""
