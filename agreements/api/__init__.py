"""The REST API v1 (DRF): thin views and serializers over agreements.queries and agreements.services."""
