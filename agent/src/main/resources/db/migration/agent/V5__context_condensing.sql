-- Condensed context (docs/agent.md, "Long sessions"): a summary of a range of messages that the prompt sends instead of
-- them. The messages themselves stay (the history is append-only); each summary covers everything from the message
-- after the first user message up to last_seq, so only the newest one is used.
CREATE TABLE context_summaries (
    id                  BIGSERIAL PRIMARY KEY,
    session_id          VARCHAR(128) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    first_seq           BIGINT       NOT NULL,
    last_seq            BIGINT       NOT NULL,
    content             TEXT         NOT NULL,
    messages_summarised INTEGER      NOT NULL,
    tokens_before       INTEGER      NOT NULL,
    tokens_after        INTEGER      NOT NULL,
    trigger             VARCHAR(8)   NOT NULL CHECK (trigger IN ('auto', 'manual')),
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK (first_seq <= last_seq)
);
CREATE INDEX context_summaries_session ON context_summaries (session_id, id DESC);

-- The provider's prompt_tokens divided by the runtime's estimate of the same prompt, from the session's last call:
-- the estimate (four characters a token) times this ratio is what the session's budget is checked against.
ALTER TABLE sessions ADD COLUMN token_ratio DOUBLE PRECISION;

-- A turn that ended because the model failed (after its retries, or mid-answer): the client may send `continue`.
ALTER TABLE turns ADD COLUMN resumable BOOLEAN NOT NULL DEFAULT false;
