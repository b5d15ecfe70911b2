//! `GET /api/v1/people`, `/api/v1/people/{id}`, `/api/v1/people/{id}/scores` and
//! `/api/v1/profiles`: the records behind the candidates, paged.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use kith_core::{Person, PersonSource, Platform, Profile};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::{CandidateJson, Page, Paging};
use crate::AppState;
use crate::error::{ApiError, Failure};

/// A customer or employee as imported. Money is a decimal string.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonJson {
    pub id: String,
    /// `customer` or `employee`.
    pub source: &'static str,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub orders_count: Option<u32>,
    pub total_spent: Option<String>,
    pub tags: Vec<String>,
    /// Platform → handle.
    pub handles: BTreeMap<&'static str, String>,
    pub title: Option<String>,
    pub department: Option<String>,
}

impl From<Person> for PersonJson {
    fn from(p: Person) -> Self {
        let source = p.source().as_str();
        PersonJson {
            handles: p
                .handles
                .iter()
                .map(|(platform, h)| (platform.as_str(), h.as_str().to_owned()))
                .collect(),
            id: p.id,
            source,
            email: p.email,
            first_name: p.first_name,
            last_name: p.last_name,
            city: p.city,
            region: p.region,
            country: p.country,
            orders_count: p.orders_count,
            total_spent: p.total_spent.map(|m| m.to_string()),
            tags: p.tags,
            title: p.title,
            department: p.department,
        }
    }
}

/// A social profile as imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileJson {
    pub platform: &'static str,
    pub handle: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub posts_count: Option<u64>,
    pub is_verified: Option<bool>,
    pub is_private: Option<bool>,
    /// RFC 3339.
    pub fetched_at: Option<String>,
}

impl From<Profile> for ProfileJson {
    fn from(p: Profile) -> Self {
        ProfileJson {
            platform: p.platform.as_str(),
            handle: p.handle.as_str().to_owned(),
            display_name: p.display_name,
            bio: p.bio,
            followers: p.followers,
            following: p.following,
            posts_count: p.posts_count,
            is_verified: p.is_verified,
            is_private: p.is_private,
            fetched_at: p.fetched_at.and_then(|t| t.format(&Rfc3339).ok()),
        }
    }
}

/// A person with their profiles and scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    pub person: PersonJson,
    pub profiles: Vec<ProfileJson>,
    /// One row per platform, best fit first, each with its explanation.
    pub scores: Vec<CandidateJson>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleFilter {
    /// `customer` or `employee`.
    pub source: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfileFilter {
    /// `instagram`, `tiktok`, `youtube` or `x`.
    pub platform: Option<String>,
}

/// Customers and employees, by id.
#[utoipa::path(get, path = "/api/v1/people", tag = "people",
    params(Paging, PeopleFilter),
    responses(
        (status = 200, description = "One page of people", body = Page<PersonJson>),
        (status = 400, description = "A parameter is not valid", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
    Query(filter): Query<PeopleFilter>,
) -> Result<Json<Page<PersonJson>>, ApiError> {
    let (page, limit, offset) = paging.resolve()?;
    let source = match filter
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(PersonSource::parse(s).ok_or_else(|| {
            Failure::BadRequest(format!(
                "source={s:?} is not valid: expected customer or employee"
            ))
        })?),
    };
    let (people, total) = state
        .blocking(move |s| s.people(source, limit, offset))
        .await?;
    Ok(Json(Page {
        total,
        page,
        limit,
        items: people.into_iter().map(PersonJson::from).collect(),
    }))
}

async fn detail(state: &AppState, id: String) -> Result<PersonDetail, Failure> {
    let lookup = id.clone();
    let view = state
        .blocking(move |s| s.person(&lookup))
        .await?
        .ok_or_else(|| Failure::NotFound(format!("Person {id:?}")))?;
    Ok(PersonDetail {
        person: view.person.into(),
        profiles: view.profiles.into_iter().map(ProfileJson::from).collect(),
        scores: view.scores.into_iter().map(CandidateJson::from).collect(),
    })
}

/// One person with their profiles and scores.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person", body = PersonDetail),
        (status = 404, description = "No such person", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>, ApiError> {
    Ok(Json(detail(&state, id).await?))
}

/// A person's scores: one candidate row per platform, with explanations.
#[utoipa::path(get, path = "/api/v1/people/{id}/scores", tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person's scores", body = Vec<CandidateJson>),
        (status = 404, description = "No such person", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn scores(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CandidateJson>>, ApiError> {
    Ok(Json(detail(&state, id).await?.scores))
}

/// Social profiles, by platform and handle.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "profiles",
    params(Paging, ProfileFilter),
    responses(
        (status = 200, description = "One page of profiles", body = Page<ProfileJson>),
        (status = 400, description = "A parameter is not valid", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn profiles(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
    Query(filter): Query<ProfileFilter>,
) -> Result<Json<Page<ProfileJson>>, ApiError> {
    let (page, limit, offset) = paging.resolve()?;
    let platform = match filter
        .platform
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(p) => Some(Platform::parse(p).ok_or_else(|| {
            Failure::BadRequest(format!(
                "platform={p:?} is not valid: expected instagram, tiktok, youtube or x"
            ))
        })?),
    };
    let (items, total) = state
        .blocking(move |s| s.profiles(platform, limit, offset))
        .await?;
    Ok(Json(Page {
        total,
        page,
        limit,
        items: items.into_iter().map(ProfileJson::from).collect(),
    }))
}
