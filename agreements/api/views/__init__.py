"""API views: thin; reads through agreements.queries / queries_api, writes through agreements.services."""
