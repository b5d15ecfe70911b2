-- Who may use the dashboard and the REST API (SQLite), and what discovery sorts by.
--
-- Secrets are never stored: passwords as argon2id PHC strings, session cookies and API
-- token secrets as SHA-256 hex digests (they are random 256-bit values, so a fast hash
-- is enough and lets a lookup use the index). Roles are checked by the code that reads
-- them, not by a CHECK constraint, so a later migration can add roles (issue 6's portal
-- accounts for ambassadors) without rebuilding the table.

CREATE TABLE users (
    id            INTEGER NOT NULL PRIMARY KEY,
    -- Lower-cased and trimmed by the server before it is stored or looked up.
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The synchroniser token every form of this session must echo.
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- A token reads `kith_<id>_<secret>`: `id` finds the row, the secret is compared in
-- constant time with `secret_hash`.
CREATE TABLE api_tokens (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

-- Failed sign-ins, keyed by `email:…` and `ip:…`, for rate limiting across processes.
CREATE TABLE login_failures (
    key       TEXT NOT NULL,
    failed_at TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

-- Discover sorts by any contract column; without these a sort other than fit reads and
-- sorts every candidate.
CREATE INDEX candidates_followers ON candidates (followers);
CREATE INDEX candidates_engagement ON candidates (engagement_rate);
CREATE INDEX candidates_authenticity ON candidates (authenticity);
