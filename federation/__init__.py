"""ActivityPub federation: actors, keys, inbox, outbox, deliveries, remote catalogue."""
