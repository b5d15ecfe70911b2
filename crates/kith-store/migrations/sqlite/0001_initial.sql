-- kith's first schema (SQLite): imported records, the brand, computed candidates.
--
-- Tables are STRICT so a wrong type is an error rather than a silent coercion. Money is
-- integer minor units; timestamps are RFC 3339 text in UTC with microseconds
-- (`2026-01-31T09:30:00.000000Z`), which sorts chronologically; lists are JSON arrays
-- except the candidate columns the contract defines as `;`-joined.

-- Small integer settings of the store: `data_version`, `scored_version`.
CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('data_version', 0);

CREATE TABLE brand (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    toml TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    id                TEXT NOT NULL PRIMARY KEY,
    source            TEXT,
    email             TEXT,
    first_name        TEXT,
    last_name         TEXT,
    city              TEXT,
    region            TEXT,
    country           TEXT,
    postal_code       TEXT,
    orders_count      INTEGER,
    total_spent_minor INTEGER,
    accepts_marketing INTEGER,
    tags              TEXT NOT NULL DEFAULT '[]',
    title             TEXT,
    department        TEXT,
    updated_at        TEXT NOT NULL
) STRICT;
-- Reviews and orders without a person id are linked by email.
CREATE INDEX people_email ON people (email);

CREATE TABLE person_handles (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform  TEXT NOT NULL,
    handle    TEXT NOT NULL,
    PRIMARY KEY (person_id, platform)
) STRICT, WITHOUT ROWID;
-- Identity resolution looks people up by the handle they declared.
CREATE INDEX person_handles_handle ON person_handles (platform, handle);

CREATE TABLE profiles (
    platform         TEXT NOT NULL,
    handle           TEXT NOT NULL,
    user_id          TEXT,
    display_name     TEXT,
    bio              TEXT,
    followers        INTEGER,
    following        INTEGER,
    posts_count      INTEGER,
    is_verified      INTEGER,
    is_private       INTEGER,
    has_profile_pic  INTEGER,
    external_url     TEXT,
    fetched_at       TEXT,
    follower_history TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (platform, handle)
) STRICT;

-- Posts may arrive before their profile, so there is no foreign key to `profiles`.
CREATE TABLE posts (
    platform        TEXT NOT NULL,
    handle          TEXT NOT NULL,
    post_id         TEXT NOT NULL,
    posted_at       TEXT,
    kind            TEXT,
    caption         TEXT,
    likes           INTEGER,
    comments        INTEGER,
    shares          INTEGER,
    saves           INTEGER,
    views           INTEGER,
    is_sponsored    INTEGER,
    comments_sample TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (platform, post_id)
) STRICT;
-- A profile's posts, in post id order.
CREATE INDEX posts_profile ON posts (platform, handle, post_id);

CREATE TABLE reviews (
    id             TEXT NOT NULL PRIMARY KEY,
    person_id      TEXT,
    email          TEXT,
    product        TEXT,
    rating         INTEGER NOT NULL,
    title          TEXT,
    body           TEXT,
    created_at     TEXT,
    verified_buyer INTEGER
) STRICT;
CREATE INDEX reviews_person ON reviews (person_id);
CREATE INDEX reviews_email ON reviews (email);

CREATE TABLE orders (
    id               TEXT NOT NULL PRIMARY KEY,
    person_id        TEXT,
    email            TEXT,
    created_at       TEXT,
    currency         TEXT,
    subtotal_minor   INTEGER NOT NULL,
    total_minor      INTEGER,
    discounts_minor  INTEGER,
    discount_codes   TEXT NOT NULL DEFAULT '[]',
    financial_status TEXT,
    landing_site     TEXT,
    referring_site   TEXT
) STRICT;
CREATE INDEX orders_person ON orders (person_id);
CREATE INDEX orders_email ON orders (email);

-- Computed by scoring and replaced as a whole; `meta.scored_version` says from which
-- `data_version`. `categories_key` is `;a;b;` lower-cased, so a category filter matches
-- whole elements whatever their case.
CREATE TABLE candidates (
    id                 INTEGER NOT NULL PRIMARY KEY,
    person_id          TEXT,
    source             TEXT,
    name               TEXT NOT NULL,
    platform           TEXT NOT NULL,
    handle             TEXT NOT NULL,
    followers          INTEGER,
    tier               TEXT,
    engagement_rate    REAL,
    er_index           REAL,
    authenticity       REAL,
    authenticity_flags TEXT NOT NULL,
    categories         TEXT NOT NULL,
    categories_key     TEXT NOT NULL,
    brand_mentions     INTEGER NOT NULL,
    brand_sentiment    REAL,
    customer_value     REAL,
    fit_score          REAL NOT NULL,
    explanation        TEXT NOT NULL
) STRICT;
CREATE INDEX candidates_fit ON candidates (fit_score DESC, followers DESC);
CREATE INDEX candidates_tier ON candidates (tier, fit_score DESC);
CREATE INDEX candidates_platform ON candidates (platform, fit_score DESC);
CREATE INDEX candidates_person ON candidates (person_id);
