-- The per-session turn lease (docs/agent.md, "The session lease"): the request that runs a turn of the session,
-- on whichever replica, and until when its lease lasts unless renewed. It replaces a session-level advisory lock,
-- which pinned a connection for the whole turn.
ALTER TABLE sessions ADD COLUMN turn_owner VARCHAR(64), ADD COLUMN turn_lease_until TIMESTAMPTZ;
CREATE INDEX sessions_turn_owner ON sessions (turn_owner) WHERE turn_owner IS NOT NULL;
