-- A trusted service calling without X-User-Id (the seed's internal curls) creates sessions that belong to no user
-- (docs/agent.md, "Callers"): no user can see them, every trusted service can.
ALTER TABLE sessions ALTER COLUMN user_id DROP NOT NULL;
