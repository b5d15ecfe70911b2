-- Who may use the dashboard and the REST API (PostgreSQL), and what discovery sorts by.
--
-- The same logical tables as the SQLite schema; see its comments. Secrets are never
-- stored: passwords as argon2id PHC strings, session cookies and API token secrets as
-- SHA-256 hex digests. Roles are checked by the code that reads them, so a later
-- migration can add roles (issue 6's portal accounts) without touching a constraint.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT COLLATE "C" NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE login_failures (
    key       TEXT COLLATE "C" NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

CREATE INDEX candidates_followers ON candidates (followers);
CREATE INDEX candidates_engagement ON candidates (engagement_rate);
CREATE INDEX candidates_authenticity ON candidates (authenticity);
