//! Employee advocacy: the library of brand posts to share, each advocate's tracked share
//! link per post, and the leaderboard.
//!
//! `POST /programs/{id}/posts` (manager+) adds a post whose URL must be on one of the
//! brand's allowed redirect domains; the store then gives every member a share link to
//! it. `GET /programs/{id}/leaderboard` places advocates by the clicks their shares
//! brought, then by attributed orders (kith-core's `leaderboard::rank`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::BrandConfig;
use kith_core::program::ProgramKind;
use kith_core::program::redirect::check_destination;
use kith_store::programs::{Program, ShareLink};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{member_name, program_by_id, programs};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::Notice;
use crate::pages::{Me, html, v};

/// A post of the library, with the clicks all its share links brought.
#[derive(Debug, Serialize)]
pub(crate) struct PostRow {
    id: i64,
    title: String,
    body: String,
    url: Option<String>,
    shares: usize,
    clicks: u64,
}

/// The library of an advocacy program, for its page.
pub(crate) async fn library(state: &AppState, program: &Program) -> Result<Vec<PostRow>, Failure> {
    let name = program.name.clone();
    let (content, shares) = programs(state, move |s| {
        let p = s.programs();
        Ok((p.content(&name)?, p.shares(&name)?))
    })
    .await?;
    let mut by_post: HashMap<i64, Vec<&ShareLink>> = HashMap::new();
    for link in &shares {
        by_post.entry(link.content_id).or_default().push(link);
    }
    Ok(content
        .into_iter()
        .filter(|c| c.kind == "post")
        .map(|c| {
            let links = by_post.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            PostRow {
                id: c.id,
                shares: links.len(),
                clicks: links.iter().map(|l| l.clicks).sum(),
                title: c.title,
                body: c.body,
                url: c.url,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct PostForm {
    title: String,
    #[serde(default)]
    body: String,
    url: String,
}

/// The post the form describes, or why it cannot be added.
fn checked_post(f: &PostForm, brand: &BrandConfig) -> Result<(String, String, String), String> {
    let title = f.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err("a post needs a title of 1 to 200 characters".into());
    }
    let url = f.url.trim();
    if brand.allowed_redirect_domains.is_empty() {
        return Err("the brand allows no redirect domains: add some in Settings first".into());
    }
    check_destination(url, &brand.allowed_redirect_domains).map_err(|e| e.to_string())?;
    Ok((title.to_owned(), f.body.trim().to_owned(), url.to_owned()))
}

pub async fn add_post(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
    Form(f): Form<PostForm>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    if program.kind != ProgramKind::Advocacy {
        return Err(
            Failure::BadRequest("only advocacy programs have a library of posts".into()).into(),
        );
    }
    let brand = state
        .blocking(|s| {
            Ok(s.brand()?
                .and_then(|t| BrandConfig::from_toml(&t).ok())
                .unwrap_or_else(|| BrandConfig::named("")))
        })
        .await?;
    let (title, body, url) = match checked_post(&f, &brand) {
        Ok(post) => post,
        Err(why) => {
            return Ok(state.flashes.redirect(
                &me,
                &back,
                Notice::error(format!("The post was not added: {why}.")),
            )?);
        }
    };
    let name = program.name.clone();
    let post = programs(&state, move |s| {
        s.programs().add_content(
            &name,
            "post",
            &title,
            &body,
            Some(&url),
            OffsetDateTime::now_utc(),
        )
    })
    .await?;
    tracing::info!(who = %me.label(), program = program.id, post = post.id, "advocacy post added");
    Ok(state.flashes.redirect(
        &me,
        &back,
        Notice::ok(format!(
            "“{}” is in the library: every advocate now has a share link to it.",
            post.title
        )),
    )?)
}

#[derive(Debug, Serialize)]
struct BoardRow {
    place: u32,
    name: String,
    person_id: String,
    code: String,
    clicks: u64,
    orders: u64,
}

pub async fn leaderboard(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let name = program.name.clone();
    let now = OffsetDateTime::now_utc();
    let (board, members) = programs(&state, move |s| {
        let p = s.programs();
        Ok((p.leaderboard(&name, now)?, p.members(Some(&name))?))
    })
    .await?;
    let rows: Vec<BoardRow> = board
        .iter()
        .filter_map(|placed| {
            let m = members.iter().find(|m| m.id == placed.standing.key)?;
            Some(BoardRow {
                place: placed.place,
                name: member_name(m),
                person_id: m.person_id.clone(),
                code: m.code.as_str().to_owned(),
                clicks: placed.standing.clicks,
                orders: placed.standing.orders,
            })
        })
        .collect();
    let posts = library(&state, &program).await?;
    let body = state
        .templates
        .get_template("program_leaderboard.html")?
        .render(context! {
            me => Me::value(&me),
            nav => "programs",
            program => context! { id => program.id, name => program.name, kind => program.kind.as_str() },
            rows => v(&rows),
            posts => v(&posts),
        })?;
    Ok(html(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_needs_a_title_and_a_url_on_an_allowed_domain() {
        let mut brand = BrandConfig::named("B");
        let form = |title: &str, url: &str| PostForm {
            title: title.into(),
            body: String::new(),
            url: url.into(),
        };
        assert!(checked_post(&form("Launch", "https://shop.example/x"), &brand).is_err());
        brand.allowed_redirect_domains = vec!["shop.example".into()];
        assert!(checked_post(&form("Launch", "https://shop.example/x"), &brand).is_ok());
        assert!(checked_post(&form("Launch", "https://shop.example.evil.test/"), &brand).is_err());
        assert!(checked_post(&form(" ", "https://shop.example/x"), &brand).is_err());
    }
}
