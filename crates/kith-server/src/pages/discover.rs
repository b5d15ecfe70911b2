//! `GET /discover`: the candidate table — every contract column readable, filters, sort
//! by any score, server-side pages — and `GET /discover/export.csv`, the current filter
//! as contract CSV. Takes the same parameters as `/api/v1/candidates`.
//!
//! An htmx request (filter change, sort, page) gets the table fragment only.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use kith_core::authenticity::{posts::RULES, profile::FEATURE_SIGNALS};
use kith_core::category::TAXONOMY;
use kith_core::{BrandConfig, CandidateQuery, SortOrder};
use kith_io::candidates::{CandidateFormat, write_candidates};
use minijinja::context;
use serde::Serialize;

use super::{Me, html, url_encode};
use crate::AppState;
use crate::api::CandidateJson;
use crate::api::candidates::tiers_for;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::query::{CandidateParams, sort_name};

/// The most rows one export writes; narrow the filter for more.
pub const EXPORT_LIMIT: u32 = 100_000;

/// An authenticity flag in words, for the hover text.
pub(crate) fn flag_meaning(name: &str) -> String {
    FEATURE_SIGNALS
        .iter()
        .chain(RULES.iter().map(|(s, _)| s))
        .find(|s| s.name == name)
        .map_or_else(|| name.replace('_', " "), |s| s.meaning.to_owned())
}

#[derive(Debug, Serialize)]
struct Row {
    c: CandidateJson,
    flags: Vec<(String, String)>,
    sentiment_class: &'static str,
}

#[derive(Debug, Serialize)]
struct Column {
    key: &'static str,
    label: &'static str,
    /// The link that sorts by this column (toggling the order when already sorted by it).
    href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    aria: &'static str,
}

/// `params` as a query string, with some keys replaced; empty values left out.
fn link(params: &CandidateParams, replace: &[(&str, String)]) -> String {
    let value = serde_json::to_value(params).unwrap_or_default();
    let mut pairs: Vec<(String, String)> = value
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    for (k, v) in replace {
        pairs.retain(|(key, _)| key != k);
        if !v.is_empty() {
            pairs.push(((*k).to_owned(), v.clone()));
        }
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

const SORTABLE: [(&str, &str); 8] = [
    ("fit_score", "Fit"),
    ("followers", "Followers"),
    ("engagement_rate", "ER"),
    ("er_index", "ER index"),
    ("authenticity", "Authenticity"),
    ("brand_mentions", "Brand posts"),
    ("brand_sentiment", "Brand sentiment"),
    ("customer_value", "Customer value"),
];

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    headers: HeaderMap,
    Query(params): Query<CandidateParams>,
) -> Result<Response, PageError> {
    let tiers = tiers_for(&state, &params).await?;
    let (query, refinement) = params.parse(&tiers, 25)?;
    let (rows, total) = state
        .discovery
        .find(&state.store, query.clone(), refinement)
        .await?;
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|c| {
            let flags = c
                .authenticity_flags
                .iter()
                .map(|f| (f.clone(), flag_meaning(f)))
                .collect();
            let sentiment_class = match c.brand_sentiment {
                Some(s) if s >= 25.0 => "pos",
                Some(s) if s <= -25.0 => "neg",
                Some(_) => "neutral",
                None => "none",
            };
            Row {
                c: c.into(),
                flags,
                sentiment_class,
            }
        })
        .collect();
    let sorted_by = sort_name(query.sort);
    let columns: Vec<Column> = SORTABLE
        .iter()
        .map(|(key, label)| {
            let current = *key == sorted_by;
            let next = if current && query.order == SortOrder::Desc {
                "asc"
            } else {
                "desc"
            };
            Column {
                key,
                label,
                href: format!(
                    "/discover?{}",
                    link(
                        &params,
                        &[
                            ("sort", (*key).into()),
                            ("order", next.into()),
                            ("page", String::new())
                        ]
                    )
                ),
                aria: match (current, query.order) {
                    (false, _) => "none",
                    (true, SortOrder::Asc) => "ascending",
                    (true, SortOrder::Desc) => "descending",
                },
            }
        })
        .collect();
    let programs = if me.role.allows(kith_store::Role::Manager) {
        super::programs::choices(&state).await?
    } else {
        Vec::new()
    };
    let pages = total.div_ceil(u64::from(query.limit)).max(1);
    let page_link = |p: u64| format!("/discover?{}", link(&params, &[("page", p.to_string())]));
    let first = query.offset() + 1;
    let last = (query.offset() + rows.len() as u64).max(query.offset());
    let context = context! {
        me => Me::value(&me),
        nav => "discover",
        rows => super::v(&rows),
        columns => super::v(&columns),
        total => total,
        page => query.page,
        pages => pages,
        first => first,
        last => last,
        prev => (u64::from(query.page) > 1).then(|| page_link(u64::from(query.page) - 1)),
        next => (u64::from(query.page) < pages).then(|| page_link(u64::from(query.page) + 1)),
        export => format!("/discover/export.csv?{}", link(&params, &[("page", String::new()), ("limit", String::new())])),
        p => super::v(&params),
        categories => TAXONOMY.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        programs => programs,
    };
    let fragment = headers.get("hx-request").is_some()
        && headers.get("hx-target").is_some_and(|t| t == "results");
    let name = if fragment {
        "_candidates.html"
    } else {
        "discover.html"
    };
    Ok(html(state.templates.get_template(name)?.render(context)?))
}

/// `GET /discover/export.csv`: every row of the current filter (up to
/// [`EXPORT_LIMIT`]) as contract CSV, in the current order.
pub async fn export(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Query(params): Query<CandidateParams>,
) -> Result<Response, PageError> {
    let tiers = tiers_for(&state, &params).await?;
    let (query, refinement) = params.parse(&tiers, 50)?;
    let query = CandidateQuery {
        page: 1,
        limit: EXPORT_LIMIT,
        ..query
    };
    let rows = state
        .blocking(move |s| s.refined_candidates(&query, &refinement))
        .await?;
    let mut out = Vec::new();
    write_candidates(&mut out, &rows, CandidateFormat::Csv)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    tracing::info!(who = %me.label(), rows = rows.len(), "exported candidates");
    let brand = state.blocking(|s| s.brand()).await?;
    let name = brand
        .and_then(|t| BrandConfig::from_toml(&t).ok())
        .map(|b| {
            b.name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "kith".into());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}-candidates.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filter_and_replace_what_they_change() {
        let params = CandidateParams {
            tier: Some("micro".into()),
            category: Some("food & drink".into()),
            page: Some("3".into()),
            platform: Some(String::new()),
            ..CandidateParams::default()
        };
        let l = link(&params, &[("page", "4".into())]);
        assert!(l.contains("tier=micro"), "{l}");
        assert!(l.contains("category=food%20%26%20drink"), "{l}");
        assert!(l.contains("page=4") && !l.contains("page=3"), "{l}");
        assert!(!l.contains("platform"), "empty values are left out: {l}");
    }

    #[test]
    fn flags_read_as_words() {
        assert_eq!(flag_meaning("dormant"), "no post in 180 days");
        assert_eq!(flag_meaning("some_new_flag"), "some new flag");
    }
}
