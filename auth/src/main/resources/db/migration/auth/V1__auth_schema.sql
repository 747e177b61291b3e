-- Users: usernames and emails are unique case-insensitively; logins look them up by lower().
CREATE TABLE users (
    id            uuid         PRIMARY KEY,
    username      varchar(255) NOT NULL,
    email         varchar(255) NOT NULL,
    password_hash varchar(255) NOT NULL,
    is_active     boolean      NOT NULL DEFAULT true,
    is_verified   boolean      NOT NULL DEFAULT false,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    last_login_at timestamptz
);
CREATE UNIQUE INDEX ix_users_username ON users (lower(username));
CREATE UNIQUE INDEX ix_users_email ON users (lower(email));

CREATE TABLE oauth_clients (
    id                     uuid         PRIMARY KEY,
    client_id              varchar(255) NOT NULL UNIQUE,
    client_secret_hash     varchar(255),
    name                   varchar(255) NOT NULL,
    description            text,
    is_confidential        boolean      NOT NULL DEFAULT false,
    allowed_scopes         text         NOT NULL,
    allowed_grant_types    text         NOT NULL,
    access_token_lifetime  integer      NOT NULL,
    refresh_token_lifetime integer      NOT NULL,
    is_active              boolean      NOT NULL DEFAULT true,
    created_at             timestamptz  NOT NULL,
    updated_at             timestamptz  NOT NULL,
    CHECK (access_token_lifetime > 0 AND refresh_token_lifetime > 0),
    CHECK (is_confidential = (client_secret_hash IS NOT NULL))
);

-- Opaque refresh tokens, stored only as the SHA-256 of the token. A family is every token descended from
-- one login; family_expires_at caps the whole session. revoked_reason tells a rotated token (reuse of which
-- is an incident) from one revoked on purpose.
CREATE TABLE refresh_tokens (
    id                uuid         PRIMARY KEY,
    token_hash        varchar(64)  NOT NULL UNIQUE,
    family_id         uuid         NOT NULL,
    parent_id         uuid,
    user_id           uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id         varchar(255) NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scope             text         NOT NULL,
    created_at        timestamptz  NOT NULL,
    expires_at        timestamptz  NOT NULL,
    family_expires_at timestamptz  NOT NULL,
    revoked_at        timestamptz,
    revoked_reason    varchar(20),
    CHECK (expires_at > created_at),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id) WHERE revoked_at IS NULL;
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX ix_refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE audit_logs (
    id            uuid         PRIMARY KEY,
    user_id       uuid         REFERENCES users (id) ON DELETE SET NULL,
    client_id     varchar(255),
    event_type    varchar(50)  NOT NULL,
    event_data    jsonb,
    ip_address    varchar(45),
    user_agent    text,
    success       boolean      NOT NULL,
    error_message text,
    created_at    timestamptz  NOT NULL
);
CREATE INDEX ix_audit_logs_event_type ON audit_logs (event_type);
CREATE INDEX ix_audit_logs_created_at ON audit_logs (created_at);

-- RS256 signing keys shared by every replica. published: in the JWKS, not signing yet (until activated_at);
-- active: signing; retired: no longer signing, still published until its last token has expired.
CREATE TABLE signing_keys (
    kid                   varchar(64)  PRIMARY KEY,
    seq                   bigint       GENERATED ALWAYS AS IDENTITY, -- orders keys activated at the same instant
    algorithm             varchar(10)  NOT NULL DEFAULT 'RS256',
    public_jwk            text         NOT NULL,
    private_key_encrypted bytea        NOT NULL,
    status                varchar(10)  NOT NULL CHECK (status IN ('published', 'active', 'retired')),
    created_at            timestamptz  NOT NULL,
    activated_at          timestamptz  NOT NULL,
    retired_at            timestamptz
);
