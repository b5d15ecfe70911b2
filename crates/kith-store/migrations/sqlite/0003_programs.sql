-- Programs, referral tracking and attribution (SQLite): issue 6.
--
-- Facts are stored as they arrive — programs, members, clicks, orders and refunds as
-- received, reviews, payouts made — and the commission ledger is derived from them by
-- replaying them through kith-core's `Ledger`, so it is exact by construction. Orders
-- and refunds are idempotent by their Shopify ids, deliveries by the webhook id. Money
-- is integer minor units; timestamps are fixed-width RFC 3339 text in UTC.

CREATE TABLE programs (
    id          INTEGER NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    -- The name lower-cased and trimmed: names are unique whatever their case.
    name_key    TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    -- The commission rule as a person writes it (`10%`, `5.00`, `0:10%,1000:12%`).
    commission  TEXT,
    -- Where links send visitors; NULL means the brand's website.
    destination TEXT,
    currency    TEXT NOT NULL,
    -- Fixed costs of running the program (platform fees, event costs).
    fee_minor   INTEGER NOT NULL DEFAULT 0,
    hold_days   INTEGER NOT NULL,
    window_days INTEGER NOT NULL,
    -- Kind-specific settings as JSON: an activation's date, place, region, capacity.
    details     TEXT NOT NULL DEFAULT '{}',
    -- Earned media counts the members' posts from here on.
    starts_at   TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE program_members (
    id            INTEGER NOT NULL PRIMARY KEY,
    program_id    INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL,
    -- Upper-case, so unique whatever case people type it in.
    code          TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    destination   TEXT,
    -- What the product sent to the member cost the brand.
    seeding_minor INTEGER NOT NULL DEFAULT 0,
    -- Set when the brand reports the code as leaked (e.g. on a coupon site).
    leaked_at     TEXT,
    joined_at     TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (program_id, person_id)
) STRICT;
CREATE INDEX program_members_person ON program_members (person_id);

-- One row per counted click (people, not bots or prefetches). No foreign key: the click
-- writer's batches are the hot path, and members are never deleted on their own.
-- `ip_hash` is a salted SHA-256 of the address, never the address.
CREATE TABLE clicks (
    id         INTEGER NOT NULL PRIMARY KEY,
    member_id  INTEGER NOT NULL,
    visitor    TEXT NOT NULL,
    clicked_at TEXT NOT NULL,
    -- The UTC day of the click: unique clicks are per (member, visitor, day).
    day        TEXT NOT NULL,
    ip_hash    TEXT,
    -- The shared library post, for advocacy shares.
    content_id INTEGER
) STRICT;
CREATE INDEX clicks_member ON clicks (member_id, clicked_at);
CREATE INDEX clicks_visitor ON clicks (visitor, clicked_at);

-- Webhook deliveries seen, by `X-Shopify-Webhook-Id`.
CREATE TABLE webhook_deliveries (
    id          TEXT NOT NULL PRIMARY KEY,
    topic       TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

-- Orders as received (webhook or back-filled import), with what attribution reads.
CREATE TABLE order_facts (
    order_id       TEXT NOT NULL PRIMARY KEY,
    source         TEXT NOT NULL,
    placed_at      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    currency       TEXT NOT NULL,
    subtotal_minor INTEGER NOT NULL,
    email          TEXT,
    customer_id    TEXT,
    discount_codes TEXT NOT NULL DEFAULT '[]',
    visitor        TEXT,
    landing_code   TEXT,
    ip_hash        TEXT
) STRICT;
CREATE INDEX order_facts_ip ON order_facts (ip_hash, placed_at);

-- Refunds as received; a refund may arrive before its order.
CREATE TABLE refund_facts (
    refund_id      TEXT NOT NULL PRIMARY KEY,
    order_id       TEXT NOT NULL,
    refunded_at    TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    subtotal_minor INTEGER NOT NULL
) STRICT;
CREATE INDEX refund_facts_order ON refund_facts (order_id);

-- Attributed orders. `review` is `clean` (earns), `pending` (flagged, waits), `approved`
-- (cleared by a reviewer, earns from `reviewed_at`) or `rejected`.
CREATE TABLE conversions (
    order_id      TEXT NOT NULL PRIMARY KEY REFERENCES order_facts (order_id),
    member_id     INTEGER NOT NULL REFERENCES program_members (id) ON DELETE CASCADE,
    attributed_by TEXT NOT NULL,
    clicked_at    TEXT,
    -- The fraud flags with their reasons, as JSON.
    flags         TEXT NOT NULL DEFAULT '[]',
    review        TEXT NOT NULL,
    reviewed_at   TEXT,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX conversions_member ON conversions (member_id);

CREATE TABLE payout_batches (
    id         INTEGER NOT NULL PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    currency   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    paid_at    TEXT
) STRICT;

CREATE TABLE payout_items (
    batch_id     INTEGER NOT NULL REFERENCES payout_batches (id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES program_members (id) ON DELETE CASCADE,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (batch_id, member_id)
) STRICT;

-- Briefs, perks and (advocacy) the library of brand posts to share.
CREATE TABLE program_content (
    id         INTEGER NOT NULL PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    url        TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- Field activations: who came.
CREATE TABLE checkins (
    member_id     INTEGER NOT NULL PRIMARY KEY REFERENCES program_members (id) ON DELETE CASCADE,
    checked_in_at TEXT NOT NULL
) STRICT;

-- Secrets the store makes once and keeps (the salt of IP hashes).
CREATE TABLE program_secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The member portal: one account per person, whatever programs they are in. Passwords
-- as argon2id PHC strings; magic links and sessions as SHA-256 of their random token.
CREATE TABLE portal_accounts (
    person_id     TEXT NOT NULL PRIMARY KEY,
    password_hash TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE portal_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    person_id  TEXT NOT NULL,
    -- `link` (a single-use magic link) or `session`.
    purpose    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;
CREATE INDEX portal_tokens_person ON portal_tokens (person_id);
