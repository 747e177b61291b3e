-- Sessions own everything else; deleting a session removes its rows (gateway.md: DELETE makes it gone).
CREATE TABLE sessions (
    id            VARCHAR(128) PRIMARY KEY,
    user_id       VARCHAR(255) NOT NULL,
    title         VARCHAR(500),
    system_prompt TEXT,
    current_agent VARCHAR(32)  NOT NULL DEFAULT 'orchestrator',
    switch_count  INTEGER      NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_activity TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_activity ON sessions (user_id, last_activity DESC);

-- Append-only conversation history in OpenAI shape; seq orders it. The one permitted update is the
-- arguments of a tool call the user edited before it ran (agent.md, hitl edit).
CREATE TABLE messages (
    id                 UUID PRIMARY KEY,
    session_id         VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq                BIGINT       NOT NULL,
    role               VARCHAR(16)  NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
    content            TEXT,
    agent_name         VARCHAR(32),
    tool_calls         JSONB,
    tool_call_id       VARCHAR(255),
    dropped_tool_calls INTEGER      NOT NULL DEFAULT 0,
    status             VARCHAR(16)  NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'cancelled', 'error')),
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    token_count        INTEGER,
    UNIQUE (session_id, seq)
);
CREATE INDEX messages_session_tool_call ON messages (session_id, tool_call_id) WHERE tool_call_id IS NOT NULL;

CREATE TABLE agent_switches (
    id          BIGSERIAL PRIMARY KEY,
    session_id  VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    from_agent  VARCHAR(32)  NOT NULL,
    to_agent    VARCHAR(32)  NOT NULL,
    reason      TEXT         NOT NULL,
    confidence  VARCHAR(8)   NOT NULL,
    switched_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX agent_switches_session ON agent_switches (session_id, switched_at, id);

CREATE TABLE pending_approvals (
    id                 BIGSERIAL PRIMARY KEY,
    session_id         VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    call_id            VARCHAR(255) NOT NULL,
    tool_name          VARCHAR(64)  NOT NULL,
    arguments          JSONB        NOT NULL,
    modified_arguments JSONB,
    reason             TEXT         NOT NULL,
    status             VARCHAR(16)  NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'edited', 'rejected', 'expired')),
    feedback           TEXT,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    decided_at         TIMESTAMPTZ,
    UNIQUE (session_id, call_id)
);
CREATE INDEX pending_approvals_open ON pending_approvals (session_id, created_at) WHERE status = 'pending';

-- One row per user turn (which may span several requests while tools run in the IDE), for limits and metrics.
CREATE TABLE turns (
    id         BIGSERIAL PRIMARY KEY,
    session_id VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    state      VARCHAR(24)  NOT NULL,
    steps      INTEGER      NOT NULL DEFAULT 0,
    tokens_in  BIGINT       NOT NULL DEFAULT 0,
    tokens_out BIGINT       NOT NULL DEFAULT 0,
    -- set by a cancel that reached a replica other than the one running the turn; that one polls it
    cancel_requested BOOLEAN NOT NULL DEFAULT false,
    started_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    ended_at   TIMESTAMPTZ
);
CREATE INDEX turns_open ON turns (session_id) WHERE ended_at IS NULL;
