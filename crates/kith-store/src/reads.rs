//! What the dashboard and the REST API read besides candidate pages: one person with
//! their profiles, posts, reviews and orders; pages of people and profiles; the figures
//! and scatter points of the overview.
//!
//! Every list is bounded by a limit the caller passes, so no page reads a whole table.

use kith_core::{Candidate, Money, Order, Person, Platform, Post, Profile, Review, TierBands};

use crate::StoreError;
use crate::convert;
use crate::ops::{Session, query_int};
use crate::rows;
use crate::sql::{Dialect, Statements};
use crate::tables::{CANDIDATES, ORDERS, PEOPLE, POSTS, PROFILES, REVIEWS, Table};
use crate::value::{Cursor, Value};

/// A person with their declared profiles and scored rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonView {
    /// With `handles` filled in.
    pub person: Person,
    /// The profiles of the handles the person declared that were imported.
    pub profiles: Vec<Profile>,
    /// The person's candidate rows, best fit first; `rank` counts within the person.
    pub scores: Vec<Candidate>,
}

/// One dot of the engagement-vs-followers scatter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterPoint {
    pub followers: u64,
    pub engagement_rate: f64,
    pub platform: Platform,
    pub employee: bool,
}

/// How many of the brand's own people sit in each band on each platform.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overview {
    /// `(platform, band name, candidates)`; band names are `nano`, `micro_low`,
    /// `micro_high`, `macro`, `mega`.
    pub by_band: Vec<(Platform, String, u64)>,
    /// Candidate rows that belong to a person (profiles matched to a customer or employee).
    pub matched_profiles: u64,
    /// People with at least one row whose brand sentiment reaches the threshold given.
    pub brand_lovers: u64,
}

/// Filters the dashboard offers beyond the contract's query parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refinement {
    /// At least this many followers (a band's lower bound).
    pub min_followers: Option<u64>,
    /// Fewer followers than this (a band's upper bound).
    pub max_followers: Option<u64>,
    /// Brand sentiment at least this (−100…100): brand lovers.
    pub min_brand_sentiment: Option<f64>,
}

#[derive(Debug)]
pub(crate) struct ReadSql {
    person: String,
    person_handles: String,
    person_profiles: String,
    person_scores: String,
    posts: String,
    reviews: String,
    orders: String,
    people_page: String,
    people_page_by_source: String,
    handles_between: String,
    profiles_page: String,
    profiles_page_by_platform: String,
    count_people: String,
    count_people_by_source: String,
    count_profiles: String,
    count_profiles_by_platform: String,
    scatter_population: String,
    scatter: String,
    by_band: String,
    matched: String,
    lovers: String,
}

fn columns(table: &Table, alias: &str) -> String {
    table
        .column_names()
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ReadSql {
    pub(crate) fn new(d: Dialect) -> ReadSql {
        let r = |sql: String| d.render(&sql);
        let people = columns(&PEOPLE, "p");
        let candidate_columns =
            CANDIDATES.column_names()[..CANDIDATES.columns.len() - 1].join(", ");
        // Linked as the store links them for scoring: by person id, or by email when the
        // record names no known person.
        let linked = |table: &str| {
            format!(
                "x.person_id = ?1 OR (x.email IS NOT NULL \
                 AND x.email = (SELECT email FROM people WHERE id = ?1) \
                 AND NOT EXISTS (SELECT 1 FROM people k WHERE k.id = x.person_id)) \
                 /* {table} */"
            )
        };
        ReadSql {
            person: r(format!("SELECT {people} FROM people p WHERE p.id = ?1")),
            person_handles: r(
                "SELECT person_id, platform, handle FROM person_handles WHERE person_id = ?1"
                    .into(),
            ),
            person_profiles: r(format!(
                "SELECT {} FROM profiles x JOIN person_handles h \
                 ON h.platform = x.platform AND h.handle = x.handle \
                 WHERE h.person_id = ?1 ORDER BY x.platform",
                columns(&PROFILES, "x")
            )),
            person_scores: r(format!(
                "SELECT {candidate_columns} FROM candidates WHERE person_id = ?1 \
                 ORDER BY fit_score DESC, platform"
            )),
            posts: r(format!(
                "SELECT {} FROM posts x WHERE x.platform = ?1 AND x.handle = ?2 \
                 ORDER BY x.posted_at DESC NULLS LAST, x.post_id LIMIT ?3",
                columns(&POSTS, "x")
            )),
            reviews: r(format!(
                "SELECT {} FROM reviews x WHERE {} \
                 ORDER BY x.created_at DESC NULLS LAST, x.id LIMIT ?2",
                columns(&REVIEWS, "x"),
                linked("reviews")
            )),
            orders: r(format!(
                "SELECT {} FROM orders x WHERE {} \
                 ORDER BY x.created_at DESC NULLS LAST, x.id LIMIT ?2",
                columns(&ORDERS, "x"),
                linked("orders")
            )),
            people_page: r(format!(
                "SELECT {people} FROM people p ORDER BY p.id LIMIT ?1 OFFSET ?2"
            )),
            people_page_by_source: r(format!(
                "SELECT {people} FROM people p WHERE p.source = ?3 \
                 ORDER BY p.id LIMIT ?1 OFFSET ?2"
            )),
            handles_between: r("SELECT person_id, platform, handle FROM person_handles \
                 WHERE person_id >= ?1 AND person_id <= ?2"
                .into()),
            profiles_page: r(format!(
                "SELECT {} FROM profiles x ORDER BY x.platform, x.handle LIMIT ?1 OFFSET ?2",
                columns(&PROFILES, "x")
            )),
            profiles_page_by_platform: r(format!(
                "SELECT {} FROM profiles x WHERE x.platform = ?3 \
                 ORDER BY x.platform, x.handle LIMIT ?1 OFFSET ?2",
                columns(&PROFILES, "x")
            )),
            count_people: "SELECT COUNT(*) FROM people".into(),
            count_people_by_source: r("SELECT COUNT(*) FROM people WHERE source = ?1".into()),
            count_profiles: "SELECT COUNT(*) FROM profiles".into(),
            count_profiles_by_platform: r(
                "SELECT COUNT(*) FROM profiles WHERE platform = ?1".into()
            ),
            scatter_population: "SELECT COUNT(*) FROM candidates WHERE person_id IS NOT NULL \
                 AND followers > 0 AND engagement_rate IS NOT NULL"
                .into(),
            // Every `?1`th row by id: an even, repeatable sample of any size of table.
            scatter: r(
                "SELECT followers, engagement_rate, platform, source FROM candidates \
                 WHERE person_id IS NOT NULL AND followers > 0 AND engagement_rate IS NOT NULL \
                 AND id % ?1 = 0 ORDER BY id LIMIT ?2"
                    .into(),
            ),
            by_band: r("SELECT platform, CASE \
                 WHEN followers >= ?4 THEN 'mega' WHEN followers >= ?3 THEN 'macro' \
                 WHEN followers >= ?2 THEN 'micro_high' WHEN followers >= ?1 THEN 'micro_low' \
                 ELSE 'nano' END AS band, COUNT(*) FROM candidates \
                 WHERE person_id IS NOT NULL AND followers IS NOT NULL \
                 GROUP BY 1, 2 ORDER BY 1, 2"
                .into()),
            matched: "SELECT COUNT(*) FROM candidates WHERE person_id IS NOT NULL".into(),
            lovers: r("SELECT COUNT(DISTINCT person_id) FROM candidates \
                 WHERE person_id IS NOT NULL AND brand_sentiment >= ?1"
                .into()),
        }
    }
}

fn int(n: u64) -> Value<'static> {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn read_order(c: &mut Cursor<'_>) -> Result<Order, StoreError> {
    Ok(Order {
        id: c.req_text("orders.id")?,
        person_id: c.text()?,
        email: c.text()?,
        created_at: c.timestamp()?,
        currency: c.text()?,
        subtotal_price: Money::from_minor(c.req_int("orders.subtotal_minor")?),
        total_price: c.int()?.map(Money::from_minor),
        total_discounts: c.int()?.map(Money::from_minor),
        discount_codes: convert::from_json(
            "orders.discount_codes",
            &c.req_text("orders.discount_codes")?,
        )?,
        financial_status: c.text()?,
        landing_site: c.text()?,
        referring_site: c.text()?,
    })
}

/// People as `read_person` reads them, with their handles from `handles_sql`.
fn people_with_handles(
    s: &mut dyn Session,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Vec<Person>, StoreError> {
    let mut people = Vec::new();
    s.each_row(sql, params, &mut |row| {
        people.push(rows::read_person(&mut Cursor::new(row))?);
        Ok(())
    })?;
    Ok(people)
}

fn attach_handles(
    s: &mut dyn Session,
    sql: &str,
    params: &[Value<'_>],
    people: &mut [Person],
) -> Result<(), StoreError> {
    s.each_row(sql, params, &mut |row| {
        let mut c = Cursor::new(row);
        let id = c.req_text("person_handles.person_id")?;
        let platform = convert::platform(&c.req_text("person_handles.platform")?)?;
        let handle = convert::handle(&c.req_text("person_handles.handle")?)?;
        if let Some(p) = people.iter_mut().find(|p| p.id == id) {
            rows::set_handle(&mut p.handles, platform, handle);
        }
        Ok(())
    })
}

pub(crate) fn person(
    s: &mut dyn Session,
    sql: &Statements,
    id: &str,
) -> Result<Option<PersonView>, StoreError> {
    let q = &sql.reads;
    let mut found = people_with_handles(s, &q.person, &[Value::str(id)])?;
    attach_handles(s, &q.person_handles, &[Value::str(id)], &mut found)?;
    let Some(person) = found.pop() else {
        return Ok(None);
    };
    let mut profiles = Vec::new();
    s.each_row(&q.person_profiles, &[Value::str(id)], &mut |row| {
        profiles.push(rows::read_profile(&mut Cursor::new(row))?);
        Ok(())
    })?;
    let mut scores = Vec::new();
    s.each_row(&q.person_scores, &[Value::str(id)], &mut |row| {
        let rank = u32::try_from(scores.len() + 1).unwrap_or(u32::MAX);
        scores.push(rows::read_candidate(&mut Cursor::new(row), rank)?);
        Ok(())
    })?;
    Ok(Some(PersonView {
        person,
        profiles,
        scores,
    }))
}

pub(crate) fn posts(
    s: &mut dyn Session,
    sql: &Statements,
    platform: Platform,
    handle: &str,
    limit: u32,
) -> Result<Vec<Post>, StoreError> {
    let mut out = Vec::new();
    let params = [
        Value::str(platform.as_str()),
        Value::str(handle),
        Value::Int(i64::from(limit)),
    ];
    s.each_row(&sql.reads.posts, &params, &mut |row| {
        out.push(rows::read_post(&mut Cursor::new(row))?);
        Ok(())
    })?;
    Ok(out)
}

pub(crate) fn reviews(
    s: &mut dyn Session,
    sql: &Statements,
    person_id: &str,
    limit: u32,
) -> Result<Vec<Review>, StoreError> {
    let mut out = Vec::new();
    let params = [Value::str(person_id), Value::Int(i64::from(limit))];
    s.each_row(&sql.reads.reviews, &params, &mut |row| {
        out.push(rows::read_review(&mut Cursor::new(row))?);
        Ok(())
    })?;
    Ok(out)
}

pub(crate) fn orders(
    s: &mut dyn Session,
    sql: &Statements,
    person_id: &str,
    limit: u32,
) -> Result<Vec<Order>, StoreError> {
    let mut out = Vec::new();
    let params = [Value::str(person_id), Value::Int(i64::from(limit))];
    s.each_row(&sql.reads.orders, &params, &mut |row| {
        out.push(read_order(&mut Cursor::new(row))?);
        Ok(())
    })?;
    Ok(out)
}

/// One page of people by id, with their handles, and how many match.
pub(crate) fn people(
    s: &mut dyn Session,
    sql: &Statements,
    source: Option<kith_core::PersonSource>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<Person>, u64), StoreError> {
    let q = &sql.reads;
    let page = [Value::Int(i64::from(limit)), int(offset)];
    let (mut people, total) = match source {
        Some(source) => {
            let by = Value::str(source.as_str());
            let people = people_with_handles(
                s,
                &q.people_page_by_source,
                &[page[0].clone(), page[1].clone(), by.clone()],
            )?;
            (people, query_int(s, &q.count_people_by_source, &[by])?)
        }
        None => (
            people_with_handles(s, &q.people_page, &page)?,
            query_int(s, &q.count_people, &[])?,
        ),
    };
    // The page is ordered by id, so its handles are those between its first and last id.
    if let (Some(first), Some(last)) = (people.first(), people.last()) {
        let range = [
            Value::owned(first.id.clone()),
            Value::owned(last.id.clone()),
        ];
        attach_handles(s, &q.handles_between, &range, &mut people)?;
    }
    Ok((people, convert::uint("a count", total.unwrap_or(0))?))
}

pub(crate) fn profiles(
    s: &mut dyn Session,
    sql: &Statements,
    platform: Option<Platform>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<Profile>, u64), StoreError> {
    let q = &sql.reads;
    let mut params = vec![Value::Int(i64::from(limit)), int(offset)];
    let (page, count, count_params) = match platform {
        Some(p) => {
            params.push(Value::str(p.as_str()));
            (
                &q.profiles_page_by_platform,
                &q.count_profiles_by_platform,
                vec![Value::str(p.as_str())],
            )
        }
        None => (&q.profiles_page, &q.count_profiles, Vec::new()),
    };
    let mut out = Vec::new();
    s.each_row(page, &params, &mut |row| {
        out.push(rows::read_profile(&mut Cursor::new(row))?);
        Ok(())
    })?;
    let total = query_int(s, count, &count_params)?.unwrap_or(0);
    Ok((out, convert::uint("a count", total)?))
}

/// At most `max_points` of the brand's own people, evenly sampled when there are more.
pub(crate) fn scatter(
    s: &mut dyn Session,
    sql: &Statements,
    max_points: u32,
) -> Result<Vec<ScatterPoint>, StoreError> {
    let q = &sql.reads;
    let population = query_int(s, &q.scatter_population, &[])?.unwrap_or(0);
    let max = i64::from(max_points.max(1));
    let stride = (population + max - 1) / max;
    let mut out = Vec::new();
    let params = [Value::Int(stride.max(1)), Value::Int(max)];
    s.each_row(&q.scatter, &params, &mut |row| {
        let mut c = Cursor::new(row);
        let followers = convert::uint("candidates.followers", c.req_int("candidates.followers")?)?;
        let engagement_rate = c.req_real("candidates.engagement_rate")?;
        let platform = convert::platform(&c.req_text("candidates.platform")?)?;
        let employee = c.text()?.as_deref() == Some("employee");
        out.push(ScatterPoint {
            followers,
            engagement_rate,
            platform,
            employee,
        });
        Ok(())
    })?;
    Ok(out)
}

pub(crate) fn overview(
    s: &mut dyn Session,
    sql: &Statements,
    tiers: &TierBands,
    lover_sentiment: f64,
) -> Result<Overview, StoreError> {
    let q = &sql.reads;
    let bounds = [
        int(tiers.micro),
        int(tiers.micro_high),
        int(tiers.r#macro),
        int(tiers.mega),
    ];
    let mut by_band = Vec::new();
    s.each_row(&q.by_band, &bounds, &mut |row| {
        let mut c = Cursor::new(row);
        let platform = convert::platform(&c.req_text("candidates.platform")?)?;
        let band = c.req_text("band")?;
        let n = convert::uint("a count", c.req_int("count")?)?;
        by_band.push((platform, band, n));
        Ok(())
    })?;
    let matched = query_int(s, &q.matched, &[])?.unwrap_or(0);
    let lovers = query_int(s, &q.lovers, &[Value::Real(lover_sentiment)])?.unwrap_or(0);
    Ok(Overview {
        by_band,
        matched_profiles: convert::uint("a count", matched)?,
        brand_lovers: convert::uint("a count", lovers)?,
    })
}
