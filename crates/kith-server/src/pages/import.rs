//! `GET /import`, `POST /import`, `GET /imports/{id}`: upload a file, watch it import,
//! and on failure read the exact error. Imports are all or nothing (see
//! [`crate::imports`]).

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

use super::{Me, html};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::imports::{ImportJob, KINDS, formats, start};

fn job_fragment(state: &AppState, job: &ImportJob) -> Result<String, PageError> {
    Ok(state
        .templates
        .get_template("_import_job.html")?
        .render(context! { job => super::v(job) })?)
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
) -> Result<Response, PageError> {
    let jobs = state.imports.list();
    let body = state
        .templates
        .get_template("import.html")?
        .render(context! {
            me => Me::value(&me),
            nav => "import",
            kinds => KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            formats => super::v(formats()),
            jobs => super::v(&jobs),
        })?;
    Ok(html(body))
}

/// Starts the upload; htmx gets the progress fragment, a plain form the progress page.
pub async fn upload(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, PageError> {
    let id = start(&state, form, &me).await?;
    if headers.get("hx-request").is_none() {
        return Ok(Redirect::to(&format!("/imports/{id}")).into_response());
    }
    let job = state
        .imports
        .get(id)
        .ok_or_else(|| Failure::NotFound(format!("Import {id}")))?;
    Ok(html(job_fragment(&state, &job)?))
}

/// The progress fragment (htmx polls it until the import ends), or a page around it.
pub async fn progress(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<Response, PageError> {
    let job = state
        .imports
        .get(id)
        .ok_or_else(|| Failure::NotFound(format!("Import {id}")))?;
    if headers.get("hx-request").is_some() {
        return Ok(html(job_fragment(&state, &job)?));
    }
    let body = state
        .templates
        .get_template("import.html")?
        .render(context! {
            me => Me::value(&me),
            nav => "import",
            kinds => KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            formats => super::v(formats()),
            current => super::v(&job),
            jobs => super::v(state.imports.list()),
        })?;
    Ok(html(body))
}
