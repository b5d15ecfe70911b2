//! `GET /api/v1/candidates`: the scored candidates, filtered, sorted and paged exactly as
//! `/discover` is.

use axum::Json;
use axum::extract::{Query, State};
use kith_core::{BrandConfig, TierBands};

use super::{CandidateJson, Page};
use crate::AppState;
use crate::error::{ApiError, Failure};
use crate::query::CandidateParams;

/// The brand's tier bands, read only when a parameter needs them.
pub(crate) async fn tiers_for(
    state: &AppState,
    params: &CandidateParams,
) -> Result<TierBands, Failure> {
    if !params.needs_tiers() {
        return Ok(TierBands::default());
    }
    let brand = state.blocking(|s| s.brand()).await?;
    Ok(brand
        .and_then(|t| BrandConfig::from_toml(&t).ok())
        .map(|b| b.tiers)
        .unwrap_or_default())
}

/// Candidates, best fit first unless `sort` says otherwise.
#[utoipa::path(
    get,
    path = "/api/v1/candidates",
    tag = "candidates",
    params(CandidateParams),
    responses(
        (status = 200, description = "One page of candidates", body = Page<CandidateJson>),
        (status = 400, description = "A parameter is not valid", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token or session", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<CandidateParams>,
) -> Result<Json<Page<CandidateJson>>, ApiError> {
    let tiers = tiers_for(&state, &params).await?;
    let (query, refinement) = params.parse(&tiers, 50)?;
    let (items, total) = state
        .discovery
        .find(&state.store, query.clone(), refinement)
        .await?;
    Ok(Json(Page {
        total,
        page: query.page,
        limit: query.limit,
        items: items.into_iter().map(CandidateJson::from).collect(),
    }))
}
