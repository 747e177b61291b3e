CREATE TABLE typed (
    id      UUID PRIMARY KEY,
    at      TIMESTAMPTZ,
    doc     JSONB,
    n       INTEGER,
    big     BIGINT,
    flag    BOOLEAN,
    raw     BYTEA,
    name    TEXT UNIQUE
);
