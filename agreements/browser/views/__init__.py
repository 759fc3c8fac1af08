"""The browser's views, one page per module. Thin: they read through the queries and render templates."""
