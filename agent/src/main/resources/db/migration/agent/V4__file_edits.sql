-- An edit_file call in progress (docs/agent.md, "Editing files"): the runtime reads the file through the IDE, applies
-- the edits itself, then writes the result through the IDE; stage says which of the two IDE calls it waits for.
-- The model's call itself is the newest message, as for any awaited call.
CREATE TABLE file_edits (
    session_id VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    call_id    VARCHAR(255) NOT NULL,
    stage      VARCHAR(16)  NOT NULL CHECK (stage IN ('reading', 'writing')),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, call_id)
);

-- The unified diff shown with a write the user must approve (docs/protocol.md, tool_call).
ALTER TABLE pending_approvals ADD COLUMN diff TEXT;
