//! People's decisions on person ↔ profile links, and what identity resolution reads.
//!
//! Resolution itself is kith-core's (`kith_core::identity::resolve`), a pure function of
//! people, profiles and decisions. The store keeps the decisions — one per person,
//! platform and handle, the latest winning — and hands them to scoring with the rest
//! of the [`Population`](kith_core::Population). A decision that changes anything moves
//! `data_version`, so the next `kith discover` (or upload) rescores with it.
//!
//! Resolution weighs every person's claim on every profile, so it reads them all: about
//! 0.7 s for 100,000 people and 50,000 profiles. What is read for it carries the
//! `data_version` it was read at, so a caller can keep what it computed until that moves;
//! the store keeps one such result itself, the [`IdentitySummary`] `kith status` shows.

use std::collections::HashSet;

use kith_core::identity::{Confirmation, Resolution, resolve};
use kith_core::{Person, PersonSource, Profile};
use time::OffsetDateTime;

use crate::StoreError;
use crate::convert;
use crate::ops::Session;
use crate::sql::{Dialect, Statements};
use crate::value::{Cursor, Value};

/// What identity resolution reads: people with their handles, profiles without their
/// posts, and the decisions taken so far — each in the population's order — and the
/// `data_version` they were read at (all in one snapshot).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityInputs {
    pub people: Vec<Person>,
    pub profiles: Vec<Profile>,
    pub confirmations: Vec<Confirmation>,
    pub data_version: i64,
}

impl IdentityInputs {
    /// The links scoring uses and those waiting for a person's decision.
    pub fn resolve(&self) -> Resolution {
        resolve(&self.people, &self.profiles, &self.confirmations)
    }

    /// What `resolution` (of these inputs) comes to, in counts.
    pub fn summary(&self, resolution: &Resolution) -> IdentitySummary {
        let linked: HashSet<&str> = resolution
            .links
            .iter()
            .map(|l| l.person_id.as_str())
            .collect();
        let mut summary = IdentitySummary {
            data_version: self.data_version,
            to_review: resolution.to_review.len() as u64,
            ..IdentitySummary::default()
        };
        for p in self
            .people
            .iter()
            .filter(|p| linked.contains(p.id.as_str()))
        {
            match p.source() {
                PersonSource::Customer => summary.matched_customers += 1,
                PersonSource::Employee => summary.matched_employees += 1,
            }
        }
        summary
    }
}

/// Identity resolution in counts, as of one `data_version`: people linked to at least one
/// profile, by source, and links waiting for a person's decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentitySummary {
    pub data_version: i64,
    pub matched_customers: u64,
    pub matched_employees: u64,
    pub to_review: u64,
}

/// The `meta` keys the stored summary lives under; `identity_version` says which
/// `data_version` it was computed from.
const SUMMARY_KEYS: [&str; 4] = [
    "identity_version",
    "identity_matched_customers",
    "identity_matched_employees",
    "identity_to_review",
];

/// The stored summary, if it was computed from the data as it is now.
pub(crate) fn summary(
    s: &mut dyn Session,
    sql: &Statements,
) -> Result<Option<IdentitySummary>, StoreError> {
    let data_version = crate::ops::data_version(s, sql)?;
    let mut values = [0i64; 4];
    for (value, key) in values.iter_mut().zip(SUMMARY_KEYS) {
        match crate::ops::query_int(s, &sql.meta_value, &[Value::str(key)])? {
            Some(v) => *value = v,
            None => return Ok(None),
        }
    }
    let [version, customers, employees, to_review] = values;
    if version != data_version {
        return Ok(None);
    }
    let count = |v: i64| u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("meta: {v}")));
    Ok(Some(IdentitySummary {
        data_version,
        matched_customers: count(customers)?,
        matched_employees: count(employees)?,
        to_review: count(to_review)?,
    }))
}

/// Keeps `summary` unless the data moved on since it was read; says whether it was kept.
pub(crate) fn save_summary(
    s: &mut dyn Session,
    sql: &Statements,
    summary: &IdentitySummary,
) -> Result<bool, StoreError> {
    if crate::ops::data_version(s, sql)? != summary.data_version {
        return Ok(false);
    }
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let values = [
        summary.data_version,
        count(summary.matched_customers),
        count(summary.matched_employees),
        count(summary.to_review),
    ];
    for (key, value) in SUMMARY_KEYS.into_iter().zip(values) {
        s.execute(&sql.set_meta_value, &[Value::str(key), Value::Int(value)])?;
    }
    Ok(true)
}

#[derive(Debug)]
pub(crate) struct IdentitySql {
    all: String,
    accepted: String,
    upsert: String,
}

impl IdentitySql {
    pub(crate) fn new(d: Dialect) -> IdentitySql {
        let r = |sql: &str| d.render(sql);
        IdentitySql {
            all: "SELECT person_id, platform, handle, accepted FROM identity_decisions \
                  ORDER BY person_id, platform, handle"
                .into(),
            accepted: r("SELECT accepted FROM identity_decisions \
                 WHERE person_id = ?1 AND platform = ?2 AND handle = ?3"),
            upsert: r("INSERT INTO identity_decisions \
                 (person_id, platform, handle, accepted, decided_by, decided_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (person_id, platform, handle) DO UPDATE SET \
                 accepted = excluded.accepted, decided_by = excluded.decided_by, \
                 decided_at = excluded.decided_at"),
        }
    }
}

/// Every decision, sorted as kith-core sorts (person id by bytes, then `Platform`'s
/// order, then handle), whatever the database's collation.
pub(crate) fn confirmations(
    s: &mut dyn Session,
    sql: &Statements,
) -> Result<Vec<Confirmation>, StoreError> {
    let mut out = Vec::new();
    s.each_row(&sql.identity.all, &[], &mut |row| {
        let mut c = Cursor::new(row);
        let person_id = c.req_text("identity_decisions.person_id")?;
        let platform = convert::platform(&c.req_text("identity_decisions.platform")?)?;
        let handle = convert::handle(&c.req_text("identity_decisions.handle")?)?;
        let accepted = c
            .boolean()?
            .ok_or_else(|| StoreError::Corrupt("identity_decisions.accepted is null".into()))?;
        out.push(Confirmation {
            person_id,
            platform,
            handle,
            accepted,
        });
        Ok(())
    })?;
    out.sort_by(|a, b| {
        (&a.person_id, a.platform, &a.handle).cmp(&(&b.person_id, b.platform, &b.handle))
    });
    Ok(out)
}

/// Stores each decision, replacing an earlier one on the same link, and returns how
/// many changed what was decided. Repeating a decision changes nothing, so it leaves
/// `data_version` (and the scores computed from it) alone.
pub(crate) fn save_confirmations(
    s: &mut dyn Session,
    sql: &Statements,
    decisions: &[Confirmation],
    decided_by: &str,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let now = Value::Timestamp(convert::utc_micros(now));
    let mut changed = 0;
    for d in decisions {
        let key = [
            Value::str(&d.person_id),
            Value::str(d.platform.as_str()),
            Value::str(d.handle.as_str()),
        ];
        let mut before = None;
        s.each_row(&sql.identity.accepted, &key, &mut |row| {
            before = row.boolean(0)?;
            Ok(())
        })?;
        if before == Some(d.accepted) {
            continue;
        }
        let [person, platform, handle] = key;
        s.execute(
            &sql.identity.upsert,
            &[
                person,
                platform,
                handle,
                Value::Bool(d.accepted),
                Value::str(decided_by),
                now.clone(),
            ],
        )?;
        changed += 1;
    }
    if changed > 0 {
        s.execute(&sql.bump_data_version, &[])?;
    }
    Ok(changed)
}

/// People, profiles and decisions, without reading a single post.
pub(crate) fn inputs(s: &mut dyn Session, sql: &Statements) -> Result<IdentityInputs, StoreError> {
    let data_version = crate::ops::data_version(s, sql)?;
    let people = crate::ops::people_with_handles(s, sql)?;
    let mut profiles = Vec::new();
    s.each_row(&sql.profiles, &[], &mut |row| {
        profiles.push(crate::rows::read_profile(&mut Cursor::new(row))?);
        Ok(())
    })?;
    profiles.sort_by(|a, b| (a.platform, &a.handle).cmp(&(b.platform, &b.handle)));
    Ok(IdentityInputs {
        people,
        profiles,
        confirmations: confirmations(s, sql)?,
        data_version,
    })
}
