-- kith's first schema (PostgreSQL): imported records, the brand, computed candidates.
--
-- The same logical tables as the SQLite schema. Keys and sort columns use the "C"
-- collation so ordering is by bytes, as in SQLite and Rust, whatever the database's
-- locale. Money is integer minor units; timestamps are timestamptz (microseconds);
-- lists are JSON text, kept byte for byte, except the candidate columns the contract
-- defines as `;`-joined.

-- Small integer settings of the store: `data_version`, `scored_version`.
CREATE TABLE meta (
    key   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 0);

CREATE TABLE brand (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    toml TEXT NOT NULL
);

CREATE TABLE people (
    id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    source            TEXT,
    email             TEXT COLLATE "C",
    first_name        TEXT,
    last_name         TEXT,
    city              TEXT,
    region            TEXT,
    country           TEXT,
    postal_code       TEXT,
    orders_count      BIGINT,
    total_spent_minor BIGINT,
    accepts_marketing BOOLEAN,
    tags              TEXT NOT NULL DEFAULT '[]',
    title             TEXT,
    department        TEXT,
    updated_at        TIMESTAMPTZ NOT NULL
);
-- Reviews and orders without a person id are linked by email.
CREATE INDEX people_email ON people (email);

CREATE TABLE person_handles (
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform  TEXT COLLATE "C" NOT NULL,
    handle    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, platform)
);
-- Identity resolution looks people up by the handle they declared.
CREATE INDEX person_handles_handle ON person_handles (platform, handle);

CREATE TABLE profiles (
    platform         TEXT COLLATE "C" NOT NULL,
    handle           TEXT COLLATE "C" NOT NULL,
    user_id          TEXT,
    display_name     TEXT,
    bio              TEXT,
    followers        BIGINT,
    following        BIGINT,
    posts_count      BIGINT,
    is_verified      BOOLEAN,
    is_private       BOOLEAN,
    has_profile_pic  BOOLEAN,
    external_url     TEXT,
    fetched_at       TIMESTAMPTZ,
    follower_history TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (platform, handle)
);

-- Posts may arrive before their profile, so there is no foreign key to `profiles`.
CREATE TABLE posts (
    platform        TEXT COLLATE "C" NOT NULL,
    handle          TEXT COLLATE "C" NOT NULL,
    post_id         TEXT COLLATE "C" NOT NULL,
    posted_at       TIMESTAMPTZ,
    kind            TEXT,
    caption         TEXT,
    likes           BIGINT,
    comments        BIGINT,
    shares          BIGINT,
    saves           BIGINT,
    views           BIGINT,
    is_sponsored    BOOLEAN,
    comments_sample TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (platform, post_id)
);
-- A profile's posts, in post id order.
CREATE INDEX posts_profile ON posts (platform, handle, post_id);

CREATE TABLE reviews (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person_id      TEXT COLLATE "C",
    email          TEXT COLLATE "C",
    product        TEXT,
    rating         BIGINT NOT NULL,
    title          TEXT,
    body           TEXT,
    created_at     TIMESTAMPTZ,
    verified_buyer BOOLEAN
);
CREATE INDEX reviews_person ON reviews (person_id);
CREATE INDEX reviews_email ON reviews (email);

CREATE TABLE orders (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person_id        TEXT COLLATE "C",
    email            TEXT COLLATE "C",
    created_at       TIMESTAMPTZ,
    currency         TEXT,
    subtotal_minor   BIGINT NOT NULL,
    total_minor      BIGINT,
    discounts_minor  BIGINT,
    discount_codes   TEXT NOT NULL DEFAULT '[]',
    financial_status TEXT,
    landing_site     TEXT,
    referring_site   TEXT
);
CREATE INDEX orders_person ON orders (person_id);
CREATE INDEX orders_email ON orders (email);

-- Computed by scoring and replaced as a whole; `meta.scored_version` says from which
-- `data_version`. `categories_key` is `;a;b;` lower-cased, so a category filter matches
-- whole elements whatever their case.
CREATE TABLE candidates (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id          TEXT COLLATE "C",
    source             TEXT,
    name               TEXT NOT NULL,
    platform           TEXT COLLATE "C" NOT NULL,
    handle             TEXT COLLATE "C" NOT NULL,
    followers          BIGINT,
    tier               TEXT,
    engagement_rate    DOUBLE PRECISION,
    er_index           DOUBLE PRECISION,
    authenticity       DOUBLE PRECISION,
    authenticity_flags TEXT NOT NULL,
    categories         TEXT NOT NULL,
    categories_key     TEXT NOT NULL,
    brand_mentions     BIGINT NOT NULL,
    brand_sentiment    DOUBLE PRECISION,
    customer_value     DOUBLE PRECISION,
    fit_score          DOUBLE PRECISION NOT NULL,
    explanation        TEXT NOT NULL
);
CREATE INDEX candidates_fit ON candidates (fit_score DESC, followers DESC NULLS LAST);
CREATE INDEX candidates_tier ON candidates (tier, fit_score DESC);
CREATE INDEX candidates_platform ON candidates (platform, fit_score DESC);
CREATE INDEX candidates_person ON candidates (person_id);
