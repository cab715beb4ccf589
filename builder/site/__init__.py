"""The web gallery: pages from templates, fonts cut to what they use, a local preview server."""
