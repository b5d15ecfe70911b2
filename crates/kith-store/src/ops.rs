//! What the [`Store`](crate::Store) methods do, written once over a [`Session`].
//!
//! A backend opens the transaction, hands it here as a `Session`, and commits when the
//! operation returns `Ok`; dropping the transaction on an error rolls it back. That
//! split keeps transaction handling in the backends and the behaviour identical.

use std::collections::{HashMap, HashSet};

use kith_core::record::Handles;
use kith_core::{
    Candidate, CandidateQuery, Handle, Money, Platform, Population, Post, ProfilePosts,
    PurchaseTotals, Record,
};
use time::OffsetDateTime;

use crate::convert::{self, Unstorable};
use crate::rows;
use crate::sql::Statements;
use crate::tables::{CANDIDATES, ORDERS, PEOPLE, PERSON_HANDLES, POSTS, PROFILES, REVIEWS, Table};
use crate::value::{Columns, Cursor, Value};
use crate::{ImportError, ImportReport, InputError, Refinement, Status, StoreError};

/// One open transaction of a backend.
pub(crate) trait Session {
    /// Runs one statement; backends cache it prepared, keyed by its text.
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError>;

    /// Streams the rows of a query to `each`, stopping at its first error.
    fn each_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;

    /// Writes one row of `table` (an upsert by its key). A backend may hold rows back
    /// to write many per round trip, until [`Session::flush`].
    fn write_row(
        &mut self,
        sql: &Statements,
        table: &'static Table,
        row: &[Value<'_>],
    ) -> Result<(), StoreError> {
        self.execute(sql.write_one(table), row).map(drop)
    }

    /// Replaces every handle of a person, after the person's own [`Session::write_row`].
    /// `none_stored` says the person is known to have no stored handle yet, so there is
    /// nothing to delete.
    fn replace_handles(
        &mut self,
        sql: &Statements,
        person_id: &str,
        handles: &[(Platform, &Handle)],
        none_stored: bool,
    ) -> Result<(), StoreError> {
        if !none_stored {
            self.execute(&sql.delete_person_handles, &[Value::str(person_id)])?;
        }
        for (platform, handle) in handles {
            let row = [
                Value::str(person_id),
                Value::str(platform.as_str()),
                Value::str(handle.as_str()),
            ];
            self.write_row(sql, &PERSON_HANDLES, &row)?;
        }
        Ok(())
    }

    /// Writes the rows held back; called before anything reads them.
    fn flush(&mut self, _sql: &Statements) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The first column of the first row, if there is one and it is not null.
pub(crate) fn query_int(
    s: &mut dyn Session,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Option<i64>, StoreError> {
    let mut found = None;
    s.each_row(sql, params, &mut |row| {
        if found.is_none() {
            found = Some(row.int(0)?);
        }
        Ok(())
    })?;
    Ok(found.flatten())
}

fn unstorable(what: String, e: Unstorable) -> ImportError {
    ImportError::Input(format!("{what}: {e}").into())
}

pub(crate) fn import(
    s: &mut dyn Session,
    sql: &Statements,
    records: &mut dyn Iterator<Item = Result<Record, InputError>>,
) -> Result<ImportReport, ImportError> {
    let now = Value::Timestamp(convert::utc_micros(OffsetDateTime::now_utc()));
    let mut report = ImportReport::default();
    // When no handle was stored before this import (a first import), a person's old
    // handles can only come from an earlier line of this same file: deleting is needed
    // for those people alone, not for each of a million customers.
    let mut stored_before: Option<bool> = None;
    let mut given_here: HashSet<String> = HashSet::new();
    for record in records {
        match record.map_err(ImportError::Input)? {
            Record::Person(p) => {
                let mut row =
                    rows::person(&p).map_err(|e| unstorable(format!("person {}", p.id), e))?;
                row.push(now.clone());
                s.write_row(sql, &PEOPLE, &row)?;
                // The file states all of a person's handles, so they replace the old ones.
                let handles: Vec<(Platform, &Handle)> = p.handles.iter().collect();
                let before = match stored_before {
                    Some(before) => before,
                    None => *stored_before
                        .insert(query_int(s, &sql.any_person_handle, &[])?.unwrap_or(0) > 0),
                };
                let none_stored = !before && !given_here.contains(&p.id);
                s.replace_handles(sql, &p.id, &handles, none_stored)?;
                if !before && !handles.is_empty() {
                    given_here.insert(p.id.clone());
                }
                report.people += 1;
            }
            Record::Profile(p) => {
                let row = rows::profile(&p)
                    .map_err(|e| unstorable(format!("profile {}/{}", p.platform, p.handle), e))?;
                s.write_row(sql, &PROFILES, &row)?;
                report.profiles += 1;
            }
            Record::Post(p) => {
                let row = rows::post(&p)
                    .map_err(|e| unstorable(format!("post {}/{}", p.platform, p.post_id), e))?;
                s.write_row(sql, &POSTS, &row)?;
                report.posts += 1;
            }
            Record::Review(r) => {
                s.write_row(sql, &REVIEWS, &rows::review(&r))?;
                report.reviews += 1;
            }
            Record::Order(o) => {
                let row = rows::order(&o).map_err(|e| unstorable(format!("order {}", o.id), e))?;
                s.write_row(sql, &ORDERS, &row)?;
                report.orders += 1;
            }
        }
    }
    s.flush(sql)?;
    // An empty stream changed nothing, so scores computed before it stay current.
    if report.total() > 0 {
        s.execute(&sql.bump_data_version, &[])?;
    }
    Ok(report)
}

pub(crate) fn status(s: &mut dyn Session, sql: &Statements) -> Result<Status, StoreError> {
    let mut counts = [0u64; 7];
    s.each_row(&sql.status, &[], &mut |row| {
        for (i, count) in counts.iter_mut().enumerate() {
            *count = convert::uint("a count", row.int(i)?.unwrap_or(0))?;
        }
        Ok(())
    })?;
    let [
        customers,
        employees,
        profiles,
        posts,
        reviews,
        orders,
        candidates,
    ] = counts;
    let programs = crate::programs::program_counts(s)?;
    Ok(Status {
        customers,
        employees,
        profiles,
        posts,
        reviews,
        orders,
        candidates,
        programs: programs.programs,
        members: programs.members,
        clicks: programs.clicks,
        conversions: programs.conversions,
    })
}

pub(crate) fn brand(s: &mut dyn Session, sql: &Statements) -> Result<Option<String>, StoreError> {
    let mut toml = None;
    s.each_row(&sql.brand, &[], &mut |row| {
        toml = row.text(0)?;
        Ok(())
    })?;
    Ok(toml)
}

/// Saving the brand it already has changes nothing, so it leaves `data_version` alone.
pub(crate) fn set_brand(
    s: &mut dyn Session,
    sql: &Statements,
    toml: &str,
) -> Result<(), StoreError> {
    if brand(s, sql)?.as_deref() == Some(toml) {
        return Ok(());
    }
    s.execute(&sql.set_brand, &[Value::str(toml)])?;
    s.execute(&sql.bump_data_version, &[])?;
    Ok(())
}

pub(crate) fn data_version(s: &mut dyn Session, sql: &Statements) -> Result<i64, StoreError> {
    query_int(s, &sql.meta_value, &[Value::str("data_version")])?
        .ok_or_else(|| StoreError::Corrupt("meta has no data_version".into()))
}

pub(crate) fn scored_version(
    s: &mut dyn Session,
    sql: &Statements,
) -> Result<Option<i64>, StoreError> {
    query_int(s, &sql.meta_value, &[Value::str("scored_version")])
}

pub(crate) fn replace_candidates(
    s: &mut dyn Session,
    sql: &Statements,
    candidates: &[Candidate],
    data_version: i64,
) -> Result<(), StoreError> {
    s.execute(&sql.delete_candidates, &[])?;
    for c in candidates {
        let row = rows::candidate(c).map_err(|e| {
            StoreError::Unstorable(format!("candidate {}/{}: {e}", c.platform, c.handle))
        })?;
        s.write_row(sql, &CANDIDATES, &row)?;
    }
    s.flush(sql)?;
    s.execute(
        &sql.set_meta_value,
        &[Value::str("scored_version"), Value::Int(data_version)],
    )?;
    Ok(())
}

pub(crate) fn candidates(
    s: &mut dyn Session,
    sql: &Statements,
    query: &CandidateQuery,
    refinement: &Refinement,
) -> Result<Vec<Candidate>, StoreError> {
    let (text, params) = sql.candidate_page(query, refinement);
    let first = query.offset();
    let mut page = Vec::new();
    s.each_row(&text, &params, &mut |row| {
        let position = first + page.len() as u64 + 1;
        let rank = u32::try_from(position).unwrap_or(u32::MAX);
        page.push(rows::read_candidate(&mut Cursor::new(row), rank)?);
        Ok(())
    })?;
    Ok(page)
}

pub(crate) fn count_candidates(
    s: &mut dyn Session,
    sql: &Statements,
    query: &CandidateQuery,
    refinement: &Refinement,
) -> Result<u64, StoreError> {
    let (text, params) = sql.count_candidates(query, refinement);
    convert::uint("a count", query_int(s, &text, &params)?.unwrap_or(0))
}

/// Reads everything scoring needs. Every list is sorted here, in Rust, as well as in
/// SQL: the result is then in kith-core's order (platforms by `Platform`'s `Ord`, text
/// by bytes) whatever a database's collation says, which is what makes the two backends
/// give byte-identical populations. Sorting already-sorted lists costs almost nothing.
pub(crate) fn population(s: &mut dyn Session, sql: &Statements) -> Result<Population, StoreError> {
    let people = people_with_handles(s, sql)?;

    let mut posts: HashMap<(Platform, Handle), Vec<Post>> = HashMap::new();
    s.each_row(&sql.posts, &[], &mut |row| {
        let post = rows::read_post(&mut Cursor::new(row))?;
        posts
            .entry((post.platform, post.handle.clone()))
            .or_default()
            .push(post);
        Ok(())
    })?;

    let mut profiles = Vec::new();
    s.each_row(&sql.profiles, &[], &mut |row| {
        let profile = rows::read_profile(&mut Cursor::new(row))?;
        let mut own = posts
            .remove(&(profile.platform, profile.handle.clone()))
            .unwrap_or_default();
        own.sort_by(|a, b| a.post_id.cmp(&b.post_id));
        profiles.push(ProfilePosts {
            profile,
            posts: own,
        });
        Ok(())
    })?;
    profiles.sort_by(|a, b| {
        (a.profile.platform, &a.profile.handle).cmp(&(b.profile.platform, &b.profile.handle))
    });

    let mut reviews = Vec::new();
    s.each_row(&sql.linked_reviews, &[], &mut |row| {
        let review = rows::read_review(&mut Cursor::new(row))?;
        // A review that names no known person, by id or email, has no one to score.
        if review.person_id.is_some() {
            reviews.push(review);
        }
        Ok(())
    })?;
    reviews.sort_by(|a, b| a.id.cmp(&b.id));

    let mut purchases = Vec::new();
    s.each_row(&sql.purchases, &[], &mut |row| {
        let mut c = Cursor::new(row);
        let person_id = c.req_text("purchases.person_id")?;
        let orders = convert::u32_of("purchases.orders", c.req_int("purchases.orders")?)?;
        let spent = Money::from_minor(c.req_int("purchases.spent")?);
        purchases.push(PurchaseTotals {
            person_id,
            orders,
            spent,
        });
        Ok(())
    })?;
    purchases.sort_by(|a, b| a.person_id.cmp(&b.person_id));

    Ok(Population {
        people,
        profiles,
        reviews,
        purchases,
        confirmations: crate::identity::confirmations(s, sql)?,
    })
}

/// Every person, with their declared handles, sorted by id.
pub(crate) fn people_with_handles(
    s: &mut dyn Session,
    sql: &Statements,
) -> Result<Vec<kith_core::Person>, StoreError> {
    let mut handles: HashMap<String, Handles> = HashMap::new();
    s.each_row(&sql.person_handles, &[], &mut |row| {
        let mut c = Cursor::new(row);
        let person = c.req_text("person_handles.person_id")?;
        let platform = convert::platform(&c.req_text("person_handles.platform")?)?;
        let handle = convert::handle(&c.req_text("person_handles.handle")?)?;
        rows::set_handle(handles.entry(person).or_default(), platform, handle);
        Ok(())
    })?;

    let mut people = Vec::new();
    s.each_row(&sql.people, &[], &mut |row| {
        let mut person = rows::read_person(&mut Cursor::new(row))?;
        if let Some(h) = handles.remove(&person.id) {
            person.handles = h;
        }
        people.push(person);
        Ok(())
    })?;
    people.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(people)
}
