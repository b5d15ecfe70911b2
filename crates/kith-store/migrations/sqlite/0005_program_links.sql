-- Programs, continued (SQLite): advocacy share links, activation event codes and the
-- orders they bring, single-use codes issued per click.
--
-- Every code a visitor or buyer can type lives in one space: a member's code, a share
-- link's code, an event code and a single-use code are never equal (checked by the store
-- before it gives one out), so `/r/{code}` and a discount code mean one thing.

-- One tracked link per (member, library post) of an advocacy program: `/r/{code}` sends
-- the visitor to the post and counts the click to the member and the post.
CREATE TABLE share_links (
    code       TEXT NOT NULL PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES program_members (id) ON DELETE CASCADE,
    content_id INTEGER NOT NULL REFERENCES program_content (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    UNIQUE (member_id, content_id)
) STRICT;
CREATE INDEX clicks_content ON clicks (content_id, member_id);

-- A field activation's event code: attendees check in with it, and orders that use it as
-- a discount code are the event's.
CREATE TABLE event_codes (
    code       TEXT NOT NULL PRIMARY KEY,
    program_id INTEGER NOT NULL UNIQUE REFERENCES programs (id) ON DELETE CASCADE
) STRICT;

-- Orders attributed to an activation by its event code (no member earns from them).
CREATE TABLE event_conversions (
    order_id   TEXT NOT NULL PRIMARY KEY REFERENCES order_facts (order_id),
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX event_conversions_program ON event_conversions (program_id);

-- Single-use discount codes, one per counted click of a program that issues them;
-- redeemed by at most one order.
CREATE TABLE click_codes (
    code        TEXT NOT NULL PRIMARY KEY,
    member_id   INTEGER NOT NULL,
    visitor     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    order_id    TEXT UNIQUE,
    redeemed_at TEXT
) STRICT;
