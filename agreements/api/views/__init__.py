"""API views: thin; reads through the agreements.queries package, writes through agreements.services."""
