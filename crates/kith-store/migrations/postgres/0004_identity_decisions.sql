-- People's decisions on person ↔ profile links (PostgreSQL): `kith match --review` and
-- the person page's Confirm / Reject. Identity resolution proposes links; a decision
-- here always wins over its heuristics (see kith-core's `identity`).
--
-- One decision per (person, platform, handle): a later one replaces it. There is no
-- foreign key to `people` or `profiles`: both are re-imported freely, and a decision
-- must survive a person or a profile arriving again (or late).
CREATE TABLE identity_decisions (
    person_id  TEXT COLLATE "C" NOT NULL,
    platform   TEXT COLLATE "C" NOT NULL,
    handle     TEXT COLLATE "C" NOT NULL,
    -- true: this profile is the person's; false: it is not.
    accepted   BOOLEAN NOT NULL,
    -- Who decided: `cli`, or the dashboard user's email.
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, platform, handle)
);
-- The dashboard lists the decisions on a profile.
CREATE INDEX identity_decisions_profile ON identity_decisions (platform, handle);
