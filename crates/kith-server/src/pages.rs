//! Server-rendered pages. Templates are embedded in the binary and escape by default.

use axum::extract::State;
use axum::response::Html;
use kith_core::{BrandConfig, CandidateQuery, Tier};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use crate::{AppState, Internal};

pub(crate) fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    // A template that fails to parse is a build defect; the test suite renders each one.
    if let Err(e) = env.add_template("overview.html", include_str!("templates/overview.html")) {
        tracing::error!(error = %e, "overview template does not parse");
    }
    env
}

#[derive(Serialize)]
struct Row {
    rank: u32,
    name: String,
    source: &'static str,
    platform: String,
    handle: String,
    followers: String,
    tier: String,
    engagement: String,
    authenticity: String,
    fit: String,
    explanation: String,
}

pub(crate) async fn overview(State(state): State<AppState>) -> Result<Html<String>, Internal> {
    let store = state.store.clone();
    let (status, brand, top, micro) = tokio::task::spawn_blocking(move || {
        let status = store.status()?;
        let brand = store.brand()?.and_then(|t| BrandConfig::from_toml(&t).ok());
        let query = CandidateQuery {
            limit: 20,
            ..CandidateQuery::default()
        };
        let top = store.candidates(&query)?;
        let micro = store.count_candidates(&CandidateQuery {
            tier: Some(Tier::Micro),
            ..CandidateQuery::default()
        })?;
        Ok::<_, kith_store::StoreError>((status, brand, top, micro))
    })
    .await??;
    let rows: Vec<Row> = top
        .into_iter()
        .map(|c| Row {
            rank: c.rank,
            name: c.name,
            source: c.source.map_or("unmatched profile", |s| s.as_str()),
            platform: c.platform.to_string(),
            handle: c.handle.to_string(),
            followers: c.followers.map(kith_core::fit::compact).unwrap_or_default(),
            tier: c.tier.map(|t| t.to_string()).unwrap_or_default(),
            engagement: c
                .engagement_rate
                .map(|r| format!("{:.1}%", r * 100.0))
                .unwrap_or_default(),
            authenticity: c
                .authenticity
                .map(|a| format!("{a:.0}"))
                .unwrap_or_default(),
            fit: format!("{:.1}", c.fit_score),
            explanation: c.explanation,
        })
        .collect();
    let template = state.templates.get_template("overview.html")?;
    let html = template.render(context! {
        brand => brand.map(|b| b.name),
        status => Value::from(Serde(status)),
        micro => micro,
        rows => Value::from(Serde(rows)),
    })?;
    Ok(Html(html))
}
