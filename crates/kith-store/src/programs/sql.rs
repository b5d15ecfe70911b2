//! Every statement of the programs module, written once with SQLite's `?N` placeholders
//! and rendered once per dialect. Only the click writer's batch insert differs in shape:
//! PostgreSQL inserts a whole batch from arrays in one statement.

use std::sync::LazyLock;

use crate::sql::Dialect;

/// The statements, by purpose.
#[derive(Debug)]
pub(crate) struct ProgramSql {
    pub insert_program: String,
    pub programs: String,
    pub program_by_key: String,
    pub person: String,
    pub code_taken: String,
    pub insert_member: String,
    pub members: String,
    pub members_of_program: String,
    pub member_by_code: String,
    pub member_by_person: String,
    pub members_of_person: String,
    pub set_status: String,
    pub set_leaked: String,
    pub link: String,
    pub insert_content: String,
    pub content: String,
    pub insert_checkin: String,
    pub insert_secret: String,
    pub secret: String,
    pub counts: String,
    pub insert_click: String,
    pub insert_delivery: String,
    pub insert_order: String,
    pub insert_refund: String,
    pub earning_member: String,
    pub visitor_clicks: String,
    pub orders_from_ip: String,
    pub member_clicks_between: String,
    pub insert_conversion: String,
    pub imported_orders: String,
    pub conversions: String,
    pub set_review: String,
    pub member_clicks: String,
    pub program_click_days: String,
    pub program_sales: String,
    pub program_refunds: String,
    pub program_payouts: String,
    pub program_posts: String,
    pub brand: String,
    pub insert_batch: String,
    pub insert_item: String,
    pub batches: String,
    pub batch_items: String,
    pub mark_paid: String,
    pub insert_token: String,
    pub token: String,
    pub use_token: String,
    pub end_token: String,
    pub set_password: String,
    pub password_by_email: String,
    pub share_link: String,
    pub missing_shares: String,
    pub insert_share: String,
    pub shares: String,
    pub insert_event_code: String,
    pub event_program: String,
    pub insert_event_conversion: String,
    pub program_event_sales: String,
    pub program_event_refunds: String,
    pub seated_members: String,
    pub people_in_region: String,
    pub checkins: String,
    pub insert_click_code: String,
    pub redeem_click_code: String,
    pub waiting_conversions: String,
    pub waiting_event_conversions: String,
    pub convert_conversion: String,
    pub convert_event_conversion: String,
}

const PROGRAM_COLUMNS: &str = "id, name, kind, commission, destination, currency, fee_minor, \
     hold_days, window_days, details, starts_at, created_at";

/// A member with their program's name and the person's name and email.
const MEMBER_SELECT: &str = "SELECT m.id, m.program_id, p.name, m.person_id, m.code, m.status, \
     m.destination, m.seeding_minor, m.leaked_at, m.joined_at, pe.first_name, pe.last_name, \
     pe.email FROM program_members m JOIN programs p ON p.id = m.program_id \
     LEFT JOIN people pe ON pe.id = m.person_id";

/// An attributed order with its member, program and refunds so far. `SUM` of a
/// `BIGINT` is `numeric` in PostgreSQL, hence the cast.
const CONVERSION_SELECT: &str = "SELECT c.order_id, c.member_id, m.code, p.name, m.person_id, \
     c.attributed_by, o.currency, o.subtotal_minor, \
     CAST(COALESCE((SELECT SUM(r.subtotal_minor) FROM refund_facts r \
     WHERE r.order_id = c.order_id), 0) AS BIGINT), o.placed_at, c.flags, c.review, \
     p.currency, c.program_subtotal_minor, c.exchange_rate \
     FROM conversions c JOIN order_facts o ON o.order_id = c.order_id \
     JOIN program_members m ON m.id = c.member_id JOIN programs p ON p.id = m.program_id";

impl ProgramSql {
    fn new(d: Dialect) -> ProgramSql {
        let r = |sql: &str| d.render(sql);
        // A click's UTC date as `YYYY-MM-DD`: unique clicks are per (member, visitor, day).
        let day = match d {
            Dialect::Sqlite => "date(c.clicked_at / 1000000, 'unixepoch')",
            Dialect::Postgres => "to_char(c.clicked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        };
        ProgramSql {
            insert_program: r(&format!(
                "INSERT INTO programs (name, name_key, kind, commission, destination, currency, \
                 fee_minor, hold_days, window_days, details, starts_at, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (name_key) DO NOTHING RETURNING {PROGRAM_COLUMNS}"
            )),
            programs: format!("SELECT {PROGRAM_COLUMNS} FROM programs ORDER BY name_key"),
            program_by_key: r(&format!(
                "SELECT {PROGRAM_COLUMNS} FROM programs WHERE name_key = ?1"
            )),
            person: r("SELECT id, first_name FROM people WHERE id = ?1"),
            // Codes share one space: members', share links', events', single-use ones.
            code_taken: r(
                "SELECT (SELECT COUNT(*) FROM program_members WHERE code = ?1) \
                 + (SELECT COUNT(*) FROM share_links WHERE code = ?1) \
                 + (SELECT COUNT(*) FROM event_codes WHERE code = ?1) \
                 + (SELECT COUNT(*) FROM click_codes WHERE code = ?1)",
            ),
            insert_member: r(
                "INSERT INTO program_members (program_id, person_id, code, status, \
                 destination, seeding_minor, joined_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            ),
            members: format!("{MEMBER_SELECT} ORDER BY p.name_key, m.code"),
            members_of_program: r(&format!(
                "{MEMBER_SELECT} WHERE m.program_id = ?1 ORDER BY m.code"
            )),
            member_by_code: r(&format!("{MEMBER_SELECT} WHERE m.code = ?1")),
            member_by_person: r(&format!(
                "{MEMBER_SELECT} WHERE m.program_id = ?1 AND m.person_id = ?2"
            )),
            members_of_person: r(&format!(
                "{MEMBER_SELECT} WHERE m.person_id = ?1 ORDER BY p.name_key"
            )),
            set_status: r("UPDATE program_members SET status = ?2, updated_at = ?3 WHERE id = ?1"),
            set_leaked: r(
                "UPDATE program_members SET leaked_at = ?2, updated_at = ?2 \
                 WHERE id = ?1 AND leaked_at IS NULL",
            ),
            link: r(
                "SELECT m.id, m.code, m.status, COALESCE(m.destination, p.destination), \
                 p.name, p.window_days, p.details FROM program_members m \
                 JOIN programs p ON p.id = m.program_id WHERE m.code = ?1",
            ),
            insert_content: r("INSERT INTO program_content \
                 (program_id, kind, title, body, url, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"),
            content: r(
                "SELECT id, program_id, kind, title, body, url FROM program_content \
                 WHERE program_id = ?1 ORDER BY id",
            ),
            insert_checkin: r(
                "INSERT INTO checkins (member_id, checked_in_at) VALUES (?1, ?2) \
                 ON CONFLICT (member_id) DO NOTHING",
            ),
            insert_secret: r("INSERT INTO program_secrets (name, value) VALUES (?1, ?2) \
                 ON CONFLICT (name) DO NOTHING"),
            secret: r("SELECT value FROM program_secrets WHERE name = ?1"),
            counts: "SELECT (SELECT COUNT(*) FROM programs), \
                 (SELECT COUNT(*) FROM program_members), (SELECT COUNT(*) FROM clicks), \
                 (SELECT COUNT(*) FROM conversions) + (SELECT COUNT(*) FROM event_conversions)"
                .into(),
            insert_click: r("INSERT INTO clicks \
                 (member_id, visitor, clicked_at, ip_hash, content_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5)"),
            insert_delivery: r("INSERT INTO webhook_deliveries (id, topic, received_at) \
                 VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING"),
            insert_order: r("INSERT INTO order_facts (order_id, source, placed_at, \
                 received_at, currency, subtotal_minor, email, customer_id, discount_codes, \
                 visitor, landing_code, ip_hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (order_id) DO NOTHING"),
            insert_refund: r("INSERT INTO refund_facts \
                 (refund_id, order_id, refunded_at, received_at, subtotal_minor) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (refund_id) DO NOTHING"),
            earning_member: r(
                "SELECT m.id, m.code, m.person_id, m.leaked_at, pe.email, p.window_days, \
                 p.currency FROM program_members m JOIN programs p ON p.id = m.program_id \
                 LEFT JOIN people pe ON pe.id = m.person_id \
                 WHERE m.status = 'active' AND (m.code = ?1 OR m.id = \
                 (SELECT s.member_id FROM share_links s WHERE s.code = ?1) OR m.id = \
                 (SELECT k.member_id FROM click_codes k \
                 WHERE k.code = ?1 AND k.order_id IS NULL))",
            ),
            visitor_clicks: r("SELECT m.code, c.clicked_at, p.window_days FROM clicks c \
                 JOIN program_members m ON m.id = c.member_id \
                 JOIN programs p ON p.id = m.program_id \
                 WHERE c.visitor = ?1 AND c.clicked_at <= ?2 AND c.clicked_at >= ?3 \
                 AND m.status = 'active'"),
            orders_from_ip: r("SELECT COUNT(*) FROM order_facts \
                 WHERE ip_hash = ?1 AND placed_at > ?2 AND placed_at <= ?3"),
            member_clicks_between: r("SELECT COUNT(*) FROM clicks \
                 WHERE member_id = ?1 AND clicked_at > ?2 AND clicked_at <= ?3"),
            insert_conversion: r("INSERT INTO conversions (order_id, member_id, \
                 attributed_by, clicked_at, flags, review, reviewed_at, created_at, \
                 program_subtotal_minor, exchange_rate, converted_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10) \
                 ON CONFLICT (order_id) DO NOTHING"),
            imported_orders: "SELECT id, person_id, email, created_at, currency, \
                 subtotal_minor, discount_codes, landing_site FROM orders ORDER BY id"
                .into(),
            conversions: format!("{CONVERSION_SELECT} ORDER BY o.placed_at, c.order_id"),
            set_review: r("UPDATE conversions SET review = ?2, reviewed_at = ?3 \
                 WHERE order_id = ?1 AND review = 'pending'"),
            member_clicks: r(&format!(
                "SELECT c.member_id, COUNT(*), \
                 COUNT(DISTINCT c.visitor || '|' || {day}) FROM clicks c \
                 JOIN program_members m ON m.id = c.member_id WHERE m.program_id = ?1 \
                 GROUP BY c.member_id"
            )),
            program_click_days: r(&format!(
                "SELECT {day} AS day, COUNT(*) FROM clicks c \
                 JOIN program_members m ON m.id = c.member_id WHERE m.program_id = ?1 \
                 GROUP BY 1 ORDER BY 1"
            )),
            program_sales: r("SELECT c.order_id, c.member_id, c.review, c.reviewed_at, \
                 o.currency, o.subtotal_minor, o.placed_at, o.received_at, \
                 c.program_subtotal_minor, c.exchange_rate, c.converted_at FROM conversions c JOIN order_facts o ON o.order_id = c.order_id \
                 JOIN program_members m ON m.id = c.member_id WHERE m.program_id = ?1"),
            program_refunds: r("SELECT r.refund_id, r.order_id, r.subtotal_minor, \
                 r.received_at FROM refund_facts r \
                 JOIN conversions c ON c.order_id = r.order_id \
                 JOIN program_members m ON m.id = c.member_id WHERE m.program_id = ?1"),
            program_payouts: r("SELECT b.id, i.member_id, b.currency, i.amount_minor, \
                 b.created_at FROM payout_items i \
                 JOIN payout_batches b ON b.id = i.batch_id WHERE b.program_id = ?1"),
            program_posts: r("SELECT m.id, po.platform, po.caption, po.likes, \
                 po.comments, po.shares, po.saves, po.views FROM program_members m \
                 JOIN person_handles h ON h.person_id = m.person_id \
                 JOIN posts po ON po.platform = h.platform AND po.handle = h.handle \
                 WHERE m.program_id = ?1 AND po.posted_at >= ?2 AND po.posted_at <= ?3"),
            brand: "SELECT toml FROM brand WHERE id = 1".into(),
            insert_batch: r(
                "INSERT INTO payout_batches (program_id, currency, created_at) \
                 VALUES (?1, ?2, ?3) RETURNING id",
            ),
            insert_item: r(
                "INSERT INTO payout_items (batch_id, member_id, amount_minor) \
                 VALUES (?1, ?2, ?3)",
            ),
            batches: "SELECT b.id, p.name, b.currency, b.created_at, b.paid_at \
                 FROM payout_batches b JOIN programs p ON p.id = b.program_id ORDER BY b.id"
                .into(),
            batch_items: "SELECT i.batch_id, i.member_id, m.code, m.person_id, pe.email, \
                 i.amount_minor FROM payout_items i \
                 JOIN program_members m ON m.id = i.member_id \
                 LEFT JOIN people pe ON pe.id = m.person_id ORDER BY i.batch_id, m.code"
                .into(),
            mark_paid: r(
                "UPDATE payout_batches SET paid_at = ?2 WHERE id = ?1 AND paid_at IS NULL",
            ),
            insert_token: r("INSERT INTO portal_tokens \
                 (token_hash, person_id, purpose, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)"),
            token: r("SELECT person_id, used_at FROM portal_tokens \
                 WHERE token_hash = ?1 AND purpose = ?2 AND expires_at > ?3"),
            use_token: r(
                "UPDATE portal_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
            ),
            end_token: r("UPDATE portal_tokens SET expires_at = ?2 WHERE token_hash = ?1"),
            set_password: r(
                "INSERT INTO portal_accounts (person_id, password_hash, created_at) \
                 VALUES (?1, ?2, ?3) \
                 ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash",
            ),
            password_by_email: r("SELECT pe.id, a.password_hash FROM people pe \
                 LEFT JOIN portal_accounts a ON a.person_id = pe.id \
                 WHERE pe.email = ?1 AND EXISTS \
                 (SELECT 1 FROM program_members m WHERE m.person_id = pe.id) \
                 ORDER BY pe.id LIMIT 1"),
            share_link: r(
                "SELECT m.id, s.code, m.status, c.url, p.name, p.window_days, p.details, \
                 s.content_id \
                 FROM share_links s JOIN program_members m ON m.id = s.member_id \
                 JOIN programs p ON p.id = m.program_id \
                 JOIN program_content c ON c.id = s.content_id WHERE s.code = ?1",
            ),
            missing_shares: r("SELECT m.id, m.code, c.id FROM program_members m \
                 JOIN program_content c ON c.program_id = m.program_id \
                 WHERE m.program_id = ?1 AND c.kind = 'post' AND c.url IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM share_links s \
                 WHERE s.member_id = m.id AND s.content_id = c.id) ORDER BY m.id, c.id"),
            insert_share: r(
                "INSERT INTO share_links (code, member_id, content_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            ),
            shares: r(
                "SELECT s.code, s.member_id, m.code, m.person_id, s.content_id, c.title, \
                 c.url, (SELECT COUNT(*) FROM clicks k \
                 WHERE k.member_id = s.member_id AND k.content_id = s.content_id) \
                 FROM share_links s JOIN program_members m ON m.id = s.member_id \
                 JOIN program_content c ON c.id = s.content_id \
                 WHERE m.program_id = ?1 ORDER BY c.id, m.code",
            ),
            insert_event_code: r("INSERT INTO event_codes (code, program_id) VALUES (?1, ?2)"),
            event_program: r("SELECT e.program_id, p.currency FROM event_codes e \
                 JOIN programs p ON p.id = e.program_id WHERE e.code = ?1"),
            insert_event_conversion: r("INSERT INTO event_conversions \
                 (order_id, program_id, code, created_at, program_subtotal_minor, \
                 exchange_rate, converted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (order_id) DO NOTHING"),
            program_event_sales: r("SELECT o.order_id, o.currency, o.subtotal_minor, \
                 o.placed_at, o.received_at, e.program_subtotal_minor, e.exchange_rate, \
                 e.converted_at FROM event_conversions e \
                 JOIN order_facts o ON o.order_id = e.order_id WHERE e.program_id = ?1"),
            program_event_refunds: r("SELECT r.order_id, r.subtotal_minor, r.received_at \
                 FROM refund_facts r JOIN event_conversions e ON e.order_id = r.order_id \
                 WHERE e.program_id = ?1"),
            seated_members: r("SELECT COUNT(*) FROM program_members \
                 WHERE program_id = ?1 AND status <> 'removed'"),
            people_in_region: r("SELECT pe.id, pe.region, pe.city FROM people pe \
                 WHERE (LOWER(TRIM(pe.region)) = ?2 OR LOWER(TRIM(pe.city)) = ?2) \
                 AND NOT EXISTS (SELECT 1 FROM program_members m \
                 WHERE m.program_id = ?1 AND m.person_id = pe.id) \
                 ORDER BY COALESCE(pe.total_spent_minor, 0) DESC, pe.id"),
            checkins: r("SELECT k.member_id FROM checkins k \
                 JOIN program_members m ON m.id = k.member_id WHERE m.program_id = ?1"),
            insert_click_code: r(
                "INSERT INTO click_codes (code, member_id, visitor, issued_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            ),
            // Once: the first order to use the code takes it.
            redeem_click_code: r("UPDATE click_codes SET order_id = ?2, redeemed_at = ?3 \
                 WHERE code = ?1 AND order_id IS NULL"),
            // Attributed orders in another currency than their program's, still without
            // a rate: what a newly added rate converts.
            waiting_conversions: "SELECT c.order_id, o.currency, o.subtotal_minor, \
                 p.currency FROM conversions c \
                 JOIN order_facts o ON o.order_id = c.order_id \
                 JOIN program_members m ON m.id = c.member_id \
                 JOIN programs p ON p.id = m.program_id \
                 WHERE c.exchange_rate IS NULL AND o.currency <> p.currency \
                 ORDER BY c.order_id"
                .into(),
            waiting_event_conversions: "SELECT e.order_id, o.currency, o.subtotal_minor, \
                 p.currency FROM event_conversions e \
                 JOIN order_facts o ON o.order_id = e.order_id \
                 JOIN programs p ON p.id = e.program_id \
                 WHERE e.exchange_rate IS NULL AND o.currency <> p.currency \
                 ORDER BY e.order_id"
                .into(),
            // Once: a stored rate is never replaced.
            convert_conversion: r("UPDATE conversions SET program_subtotal_minor = ?2, \
                 exchange_rate = ?3, converted_at = ?4 \
                 WHERE order_id = ?1 AND exchange_rate IS NULL"),
            convert_event_conversion: r("UPDATE event_conversions \
                 SET program_subtotal_minor = ?2, exchange_rate = ?3, converted_at = ?4 \
                 WHERE order_id = ?1 AND exchange_rate IS NULL"),
        }
    }
}

/// The statements for a dialect, rendered on first use.
pub(crate) fn statements(d: Dialect) -> &'static ProgramSql {
    static SQLITE: LazyLock<ProgramSql> = LazyLock::new(|| ProgramSql::new(Dialect::Sqlite));
    static POSTGRES: LazyLock<ProgramSql> = LazyLock::new(|| ProgramSql::new(Dialect::Postgres));
    match d {
        Dialect::Sqlite => &SQLITE,
        Dialect::Postgres => &POSTGRES,
    }
}

/// PostgreSQL: a whole batch of clicks in one statement, one array per column.
pub(crate) const PG_INSERT_CLICKS: &str = "INSERT INTO clicks \
     (member_id, visitor, clicked_at, ip_hash, content_id) \
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], \
     $5::bigint[])";

/// PostgreSQL: the single-use codes of a batch of clicks, in the same transaction.
pub(crate) const PG_INSERT_CLICK_CODES: &str = "INSERT INTO click_codes \
     (code, member_id, visitor, issued_at) \
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[])";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_statement_keeps_a_sqlite_placeholder_in_postgres() {
        let pg = statements(Dialect::Postgres);
        let all = format!("{pg:?}");
        assert!(!all.contains('?'), "{all}");
        assert!(pg.link.contains("m.code = $1"));
    }
}
