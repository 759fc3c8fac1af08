"""The event store: an append-only table of events with a gap-free, commit-ordered global position."""
