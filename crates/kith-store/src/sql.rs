//! The SQL both backends run, written once and rendered for a [`Dialect`].
//!
//! The two schemas give every table the same columns, so statements differ only in
//! parameter placeholders (`?1` against `$1`) and one string function; both are decided
//! here. Table and column names come from [`crate::tables`] and sort columns from
//! [`kith_core::SortKey::column`]; user text only ever travels as a bound parameter.

use kith_core::{CandidateQuery, Platform, SortOrder};

use crate::Refinement;
use crate::tables::{CANDIDATES, PEOPLE, POSTS, PROFILES, REVIEWS, TABLES, Table};
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The `n`th (1-based) parameter.
    pub(crate) fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// True when `needle` occurs in `haystack`, without `LIKE`'s wildcards.
    fn contains(self, haystack: &str, needle: &str) -> String {
        match self {
            Dialect::Sqlite => format!("instr({haystack}, {needle}) > 0"),
            Dialect::Postgres => format!("strpos({haystack}, {needle}) > 0"),
        }
    }

    /// `sql` written with SQLite's `?N` placeholders, in this dialect. Used for
    /// statements whose text is otherwise the same in both; `?` appears nowhere else in
    /// them.
    pub(crate) fn render(self, sql: &str) -> String {
        match self {
            Dialect::Sqlite => sql.to_owned(),
            Dialect::Postgres => sql.replace('?', "$"),
        }
    }

    fn placeholders(self, count: usize) -> String {
        (1..=count)
            .map(|n| self.placeholder(n))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The person a review or order belongs to: the one its `person_id` names, else the one
/// with its email — a customer before an employee, then the smallest id, so the link is
/// the same on every backend.
fn linked_person(alias: &str) -> String {
    format!(
        "COALESCE(by_id.id, (SELECT p.id FROM people p WHERE p.email = {alias}.email \
         ORDER BY CASE WHEN p.source = 'employee' THEN 1 ELSE 0 END, p.id LIMIT 1))"
    )
}

/// Orders platforms as `Platform`'s `Ord` does, which `Candidate::ranking_cmp` uses.
fn platform_rank() -> String {
    let arms: Vec<String> = Platform::ALL
        .iter()
        .enumerate()
        .map(|(rank, p)| format!("WHEN '{}' THEN {rank}", p.as_str()))
        .collect();
    format!("CASE platform {} END", arms.join(" "))
}

/// One row: an upsert that updates every column but the key, or a plain insert.
fn write_one(d: Dialect, table: &Table) -> String {
    let columns = table.column_names();
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        columns.join(", "),
        d.placeholders(columns.len())
    );
    format!("{insert}{}", on_conflict(table))
}

/// Many rows at once (PostgreSQL): one array parameter per column, unnested into rows.
/// The rows must not repeat a key — PostgreSQL refuses to update a row twice in one
/// statement — which the batching writer ensures.
fn write_many(table: &Table) -> String {
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| format!("${}::{}", i + 1, kind.pg_array()))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM unnest({}){}",
        table.name,
        table.column_names().join(", "),
        arrays.join(", "),
        on_conflict(table)
    )
}

fn on_conflict(table: &Table) -> String {
    if table.key.is_empty() {
        return String::new();
    }
    let updates: Vec<String> = table
        .column_names()
        .into_iter()
        .filter(|c| !table.key.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        table.key.join(", "),
        updates.join(", ")
    )
}

/// Every statement the store runs, rendered once per store for its dialect.
#[derive(Debug)]
pub(crate) struct Statements {
    pub dialect: Dialect,
    /// By [`Table::index`]: write one row.
    write_one: Vec<String>,
    /// By [`Table::index`]: write many rows (PostgreSQL only; empty for SQLite).
    write_many: Vec<String>,
    pub delete_person_handles: String,
    pub any_person_handle: String,
    /// PostgreSQL only: the handles of every person in a text array.
    pub delete_handles_of_many: String,
    pub delete_candidates: String,
    pub meta_value: String,
    pub set_meta_value: String,
    pub bump_data_version: String,
    pub brand: String,
    pub set_brand: String,
    pub status: String,
    /// Every column of [`PEOPLE`], so `updated_at` last.
    pub people: String,
    pub person_handles: String,
    pub profiles: String,
    pub posts: String,
    /// [`REVIEWS`]' columns, with `person_id` resolved through the email when needed.
    pub linked_reviews: String,
    /// `person_id, orders, spent_minor` for every person with linked orders.
    pub purchases: String,
    pub insert_migration: String,
    pub migration_versions: String,
    /// Users, sessions, API tokens and sign-in failures.
    pub auth: crate::auth::AuthSql,
    /// What the dashboard and the API read: a person's records, overview figures.
    pub reads: crate::reads::ReadSql,
    /// People's decisions on person ↔ profile links.
    pub identity: crate::identity::IdentitySql,
}

impl Statements {
    pub(crate) fn new(d: Dialect) -> Statements {
        let p1 = d.placeholder(1);
        let p2 = d.placeholder(2);
        let p3 = d.placeholder(3);
        let select = |table: &Table, order: &str| {
            format!(
                "SELECT {} FROM {} ORDER BY {order}",
                table.column_names().join(", "),
                table.name
            )
        };
        let review_columns: Vec<String> = REVIEWS
            .column_names()
            .into_iter()
            .map(|c| {
                if c == "person_id" {
                    linked_person("r")
                } else {
                    format!("r.{c}")
                }
            })
            .collect();
        Statements {
            dialect: d,
            write_one: TABLES.iter().map(|t| write_one(d, t)).collect(),
            write_many: match d {
                Dialect::Sqlite => Vec::new(),
                Dialect::Postgres => TABLES.iter().map(|t| write_many(t)).collect(),
            },
            delete_person_handles: format!("DELETE FROM person_handles WHERE person_id = {p1}"),
            any_person_handle:
                "SELECT COUNT(*) FROM (SELECT 1 FROM person_handles LIMIT 1) AS any_handle".into(),
            delete_handles_of_many: "DELETE FROM person_handles WHERE person_id = ANY($1::text[])"
                .into(),
            delete_candidates: "DELETE FROM candidates".into(),
            meta_value: format!("SELECT value FROM meta WHERE key = {p1}"),
            set_meta_value: format!(
                "INSERT INTO meta (key, value) VALUES ({p1}, {p2}) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            bump_data_version: "UPDATE meta SET value = value + 1 WHERE key = 'data_version'"
                .into(),
            brand: "SELECT toml FROM brand WHERE id = 1".into(),
            set_brand: format!(
                "INSERT INTO brand (id, toml) VALUES (1, {p1}) \
                 ON CONFLICT (id) DO UPDATE SET toml = excluded.toml"
            ),
            status: "SELECT \
                 (SELECT COUNT(*) FROM people WHERE source IS NULL OR source <> 'employee'), \
                 (SELECT COUNT(*) FROM people WHERE source = 'employee'), \
                 (SELECT COUNT(*) FROM profiles), \
                 (SELECT COUNT(*) FROM posts), \
                 (SELECT COUNT(*) FROM reviews), \
                 (SELECT COUNT(*) FROM orders), \
                 (SELECT COUNT(*) FROM candidates)"
                .into(),
            people: select(&PEOPLE, "id"),
            person_handles: "SELECT person_id, platform, handle FROM person_handles".into(),
            profiles: select(&PROFILES, "platform, handle"),
            posts: select(&POSTS, "platform, handle, post_id"),
            linked_reviews: format!(
                "SELECT {} FROM reviews r LEFT JOIN people by_id ON by_id.id = r.person_id \
                 ORDER BY r.id",
                review_columns.join(", ")
            ),
            purchases: format!(
                "SELECT person_id, COUNT(*), CAST(SUM(subtotal_minor) AS BIGINT) FROM \
                 (SELECT {} AS person_id, o.subtotal_minor FROM orders o \
                  LEFT JOIN people by_id ON by_id.id = o.person_id) linked \
                 WHERE person_id IS NOT NULL GROUP BY person_id ORDER BY person_id",
                linked_person("o")
            ),
            insert_migration: format!(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ({p1}, {p2}, {p3})"
            ),
            migration_versions: "SELECT version FROM schema_migrations ORDER BY version".into(),
            auth: crate::auth::AuthSql::new(d),
            reads: crate::reads::ReadSql::new(d),
            identity: crate::identity::IdentitySql::new(d),
        }
    }

    /// Writes one row of `table`.
    pub(crate) fn write_one(&self, table: &Table) -> &str {
        &self.write_one[table.index]
    }

    /// Writes many rows of `table` given as column arrays, where the dialect can.
    pub(crate) fn write_many(&self, table: &Table) -> Option<&str> {
        self.write_many.get(table.index).map(String::as_str)
    }

    /// `WHERE …` for the query's filters (empty without any), with its parameters.
    pub(crate) fn candidate_filter(
        &self,
        q: &CandidateQuery,
        r: &Refinement,
    ) -> (String, Vec<Value<'static>>) {
        let d = self.dialect;
        let mut clauses = Vec::new();
        let mut params = Vec::new();
        let mut bind = |clause: &dyn Fn(&str) -> String, value: Value<'static>| {
            params.push(value);
            clauses.push(clause(&d.placeholder(params.len())));
        };
        if let Some(source) = q.source.person_source() {
            bind(&|p| format!("source = {p}"), Value::str(source.as_str()));
        }
        if let Some(tier) = q.tier {
            bind(&|p| format!("tier = {p}"), Value::str(tier.as_str()));
        }
        if let Some(platform) = q.platform {
            bind(
                &|p| format!("platform = {p}"),
                Value::str(platform.as_str()),
            );
        }
        if let Some(category) = q.category.as_deref().filter(|c| !c.trim().is_empty()) {
            let needle = crate::convert::category_needle(category);
            bind(&|p| d.contains("categories_key", p), Value::owned(needle));
        }
        if let Some(min) = q.min_authenticity {
            bind(&|p| format!("authenticity >= {p}"), Value::Real(min));
        }
        if let Some(min) = q.min_er {
            bind(&|p| format!("engagement_rate >= {p}"), Value::Real(min));
        }
        let followers = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        if let Some(min) = r.min_followers {
            bind(&|p| format!("followers >= {p}"), followers(min));
        }
        if let Some(max) = r.max_followers {
            bind(&|p| format!("followers < {p}"), followers(max));
        }
        if let Some(min) = r.min_brand_sentiment {
            bind(&|p| format!("brand_sentiment >= {p}"), Value::Real(min));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        (sql, params)
    }

    pub(crate) fn count_candidates(
        &self,
        q: &CandidateQuery,
        r: &Refinement,
    ) -> (String, Vec<Value<'static>>) {
        let (filter, params) = self.candidate_filter(q, r);
        (format!("SELECT COUNT(*) FROM candidates{filter}"), params)
    }

    /// One page: the sort column in the asked order with nulls last either way, then the
    /// ties broken as `Candidate::ranking_cmp` breaks them.
    pub(crate) fn candidate_page(
        &self,
        q: &CandidateQuery,
        r: &Refinement,
    ) -> (String, Vec<Value<'static>>) {
        let (filter, mut params) = self.candidate_filter(q, r);
        let direction = match q.order {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        params.push(Value::Int(i64::from(q.limit)));
        let limit = self.dialect.placeholder(params.len());
        params.push(Value::Int(i64::try_from(q.offset()).unwrap_or(i64::MAX)));
        let offset = self.dialect.placeholder(params.len());
        let sql = format!(
            "SELECT {columns} FROM candidates{filter} ORDER BY {sort} {direction} NULLS LAST, \
             fit_score DESC, followers DESC NULLS LAST, {platform}, handle, \
             person_id NULLS FIRST LIMIT {limit} OFFSET {offset}",
            columns = CANDIDATES.column_names()[..CANDIDATES.columns.len() - 1].join(", "),
            sort = q.sort.column(),
            platform = platform_rank(),
        );
        (sql, params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::{SortKey, SourceFilter, Tier};

    #[test]
    fn filters_bind_user_text_as_parameters() {
        let q = CandidateQuery {
            source: SourceFilter::Employees,
            tier: Some(Tier::Micro),
            category: Some("x'; DROP TABLE people; --".into()),
            sort: SortKey::Followers,
            order: SortOrder::Asc,
            ..CandidateQuery::default()
        };
        let (sql, params) =
            Statements::new(Dialect::Postgres).candidate_page(&q, &Refinement::default());
        assert!(!sql.contains("DROP"), "{sql}");
        assert!(sql.contains("WHERE source = $1 AND tier = $2 AND strpos(categories_key, $3) > 0"));
        assert!(sql.contains("ORDER BY followers ASC NULLS LAST"), "{sql}");
        assert!(sql.ends_with("LIMIT $4 OFFSET $5"), "{sql}");
        assert_eq!(params.len(), 5);
    }

    #[test]
    fn upserts_update_every_column_but_the_key() {
        let sql = write_one(Dialect::Sqlite, &POSTS);
        assert!(
            sql.contains("ON CONFLICT (platform, post_id) DO UPDATE SET handle = excluded.handle")
        );
        assert!(!sql.contains("post_id = excluded"));
        assert!(sql.contains("?13)"));
        assert!(!write_one(Dialect::Sqlite, &CANDIDATES).contains("ON CONFLICT"));
    }

    #[test]
    fn postgres_writes_many_rows_from_typed_arrays() {
        let sql = Statements::new(Dialect::Postgres);
        let many = sql.write_many(&PEOPLE).unwrap();
        assert!(many.contains("unnest($1::text[], "), "{many}");
        assert!(many.contains("$16::timestamptz[])"), "{many}");
        assert!(
            Statements::new(Dialect::Sqlite)
                .write_many(&PEOPLE)
                .is_none()
        );
    }

    #[test]
    fn tables_know_their_place_and_keys() {
        for (i, t) in TABLES.iter().enumerate() {
            assert_eq!(t.index, i, "{}", t.name);
            assert_eq!(t.key_positions().len(), t.key.len(), "{}", t.name);
        }
        assert_eq!(POSTS.key_positions(), [0, 2]);
    }
}
