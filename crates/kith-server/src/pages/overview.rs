//! `GET /`: what the store holds, the micro-influencers found by band and platform, and
//! the engagement-vs-followers scatter of the brand's own people with the published
//! benchmark drawn over it — the inverse correlation, on the brand's data.

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use kith_core::benchmark::{BenchmarkTables, benchmark_for};
use kith_core::{BrandConfig, CandidateQuery, Platform, TierBands};
use kith_store::ScatterPoint;
use minijinja::context;
use serde::Serialize;

use super::{Me, html};
use crate::AppState;
use crate::auth::Principal;
use crate::error::PageError;
use crate::query::BRAND_LOVER_SENTIMENT;

/// At most this many dots: enough to see the shape, few enough to draw instantly.
const MAX_POINTS: u32 = 3_000;

const BANDS: [(&str, &str); 5] = [
    ("nano", "Nano (< 1k)"),
    ("micro_low", "Micro 1k–10k"),
    ("micro_high", "Micro 10k–100k"),
    ("macro", "Macro"),
    ("mega", "Mega"),
];

#[derive(Debug, Serialize)]
struct BandRow {
    label: &'static str,
    micro: bool,
    counts: Vec<u64>,
    total: u64,
}

#[derive(Debug, Serialize)]
struct Series {
    label: String,
    /// `points` or `line`.
    kind: &'static str,
    color: &'static str,
    /// Engagement in percent, or null where the series has no value at this x.
    y: Vec<Option<f64>>,
}

/// uPlot's data: shared x values (followers, ascending) and one y array per series.
#[derive(Debug, Serialize)]
pub(crate) struct Chart {
    x: Vec<u64>,
    series: Vec<Series>,
    /// The y axis ends at the 98th percentile of engagement (in %), so a few outliers
    /// (giveaways, pods) do not flatten everyone else against the axis.
    y_max: f64,
}

fn color(p: Platform) -> &'static str {
    match p {
        Platform::Instagram => "#b3246b",
        Platform::Tiktok => "#0f6b75",
        Platform::Youtube => "#b54708",
        Platform::X => "#444c56",
    }
}

/// Dots per platform, and each benchmarked platform's published curve as a step line.
pub(crate) fn scatter_chart(
    mut points: Vec<ScatterPoint>,
    tiers: &TierBands,
    tables: &BenchmarkTables,
) -> Chart {
    points.sort_by_key(|p| p.followers);
    let x: Vec<u64> = points.iter().map(|p| p.followers).collect();
    let mut series = Vec::new();
    for platform in Platform::ALL {
        if !points.iter().any(|p| p.platform == platform) {
            continue;
        }
        series.push(Series {
            label: format!("{platform} people"),
            kind: "points",
            color: color(platform),
            y: points
                .iter()
                .map(|p| (p.platform == platform).then_some(p.engagement_rate * 100.0))
                .collect(),
        });
        let curve: Vec<Option<f64>> = points
            .iter()
            .map(|p| {
                benchmark_for(tables, platform, p.followers, tiers.band(p.followers))
                    .map(|b| b.rate * 100.0)
            })
            .collect();
        if curve.iter().any(Option::is_some) {
            series.push(Series {
                label: format!("{platform} benchmark"),
                kind: "line",
                color: color(platform),
                y: curve,
            });
        }
    }
    let mut rates: Vec<f64> = points.iter().map(|p| p.engagement_rate * 100.0).collect();
    rates.sort_by(f64::total_cmp);
    let p98 = rates.get(rates.len() * 98 / 100).copied().unwrap_or(10.0);
    Chart {
        x,
        series,
        y_max: (p98 * 1.1).max(1.0).ceil(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
) -> Result<Response, PageError> {
    let (status, brand, overview, points, top) = state
        .blocking(|s| {
            let brand = s.brand()?.and_then(|t| BrandConfig::from_toml(&t).ok());
            let tiers = brand.as_ref().map(|b| b.tiers).unwrap_or_default();
            let top = s.candidates(&CandidateQuery {
                limit: 10,
                ..CandidateQuery::default()
            })?;
            Ok((
                s.status()?,
                brand,
                s.overview(&tiers, BRAND_LOVER_SENTIMENT)?,
                s.scatter(MAX_POINTS)?,
                top,
            ))
        })
        .await?;
    let tiers = brand.as_ref().map(|b| b.tiers).unwrap_or_default();
    let platforms: Vec<Platform> = Platform::ALL.to_vec();
    let rows: Vec<BandRow> = BANDS
        .iter()
        .map(|(key, label)| {
            let counts: Vec<u64> = platforms
                .iter()
                .map(|p| {
                    overview
                        .by_band
                        .iter()
                        .filter(|(pl, b, _)| pl == p && b == key)
                        .map(|(_, _, n)| n)
                        .sum()
                })
                .collect();
            BandRow {
                label,
                micro: key.starts_with("micro"),
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    let micro: u64 = rows.iter().filter(|r| r.micro).map(|r| r.total).sum();
    let shown = points.len();
    // Inside a <script> element: no `</` may end it early.
    let tables = brand.as_ref().map(|b| b.benchmarks).unwrap_or_default();
    let chart =
        serde_json::to_string(&scatter_chart(points, &tiers, &tables))?.replace("</", "<\\/");
    let top: Vec<crate::api::CandidateJson> = top.into_iter().map(Into::into).collect();
    let html_text = state
        .templates
        .get_template("overview.html")?
        .render(context! {
            me => Me::value(&me),
            nav => "overview",
            brand => brand.map(|b| b.name),
            status => super::v(status),
            matched => overview.matched_profiles,
            lovers => overview.brand_lovers,
            micro => micro,
            platforms => platforms.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            bands => super::v(&rows),
            chart => chart,
            shown => shown,
            top => super::v(&top),
        })?;
    Ok(html(html_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scatter_has_a_benchmark_curve_that_falls_with_followers() {
        let point = |followers, platform| ScatterPoint {
            followers,
            engagement_rate: 0.05,
            platform,
            employee: false,
        };
        let chart = scatter_chart(
            vec![
                point(50_000, Platform::Instagram),
                point(2_000, Platform::Instagram),
                point(500, Platform::Youtube),
            ],
            &TierBands::default(),
            &BenchmarkTables::default(),
        );
        assert_eq!(chart.x, [500, 2_000, 50_000], "sorted for uPlot");
        let curve = chart
            .series
            .iter()
            .find(|s| s.label == "instagram benchmark")
            .unwrap();
        let (a, b) = (curve.y[1].unwrap(), curve.y[2].unwrap());
        assert!(a > b, "benchmark falls as followers grow: {a} then {b}");
        assert!(
            !chart.series.iter().any(|s| s.label == "youtube benchmark"),
            "no published per-subscriber YouTube figure"
        );
    }
}
