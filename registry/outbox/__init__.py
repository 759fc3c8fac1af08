"""The transactional outbox: jobs written with the events, handed to Celery after commit."""
