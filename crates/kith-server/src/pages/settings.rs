//! `GET /settings` and its forms (admins and owners): the brand (handles, hashtags,
//! keywords, target categories, weights, tier bands), users and roles, API tokens.
//!
//! Only an owner may make, change or remove an owner, and the last owner can neither be
//! demoted nor removed. A token is shown once, when it is made; a role above the
//! maker's own cannot be given to a user or a token.
//!
//! Every form answers with a redirect back to `/settings` and a one-shot notice
//! ([`super::flash`]), so reloading the page never submits a form twice.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::BrandConfig;
use kith_core::brand::BrandHandles;
use kith_store::{ApiToken, Role, Store};
use minijinja::context;
use serde::Deserialize;
use time::OffsetDateTime;

use super::flash::{Notice, NoticeParam};
use super::{Me, html};
use crate::AppState;
use crate::auth::login::normalise_email;
use crate::auth::{Principal, secret};
use crate::error::{Failure, PageError};

const PAGE: &str = "/settings";

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn split(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn stored_brand(store: &dyn Store) -> Result<BrandConfig, kith_store::StoreError> {
    Ok(store
        .brand()?
        .and_then(|t| BrandConfig::from_toml(&t).ok())
        .unwrap_or_else(|| BrandConfig::named("Your brand")))
}

async fn render(state: &AppState, me: &Principal, notice: Notice) -> Result<Response, PageError> {
    let (brand, users, tokens) = state
        .blocking(|s| Ok((stored_brand(s)?, s.users()?, s.api_tokens()?)))
        .await?;
    let users: Vec<_> = users
        .into_iter()
        .map(|u| context! { id => u.id, email => u.email, role => u.role.as_str(), me => me.user().is_some_and(|m| m.id == u.id) })
        .collect();
    let tokens: Vec<_> = tokens
        .into_iter()
        .map(|t| context! { id => t.id, name => t.name, role => t.role.as_str(), revoked => t.revoked, created => t.created_at.date().to_string() })
        .collect();
    let w = brand.weights;
    let roles: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| me.role.allows(**r))
        .map(|r| r.as_str())
        .collect();
    let body = state.templates.get_template("settings.html")?.render(context! {
        me => Me::value(me),
        nav => "settings",
        brand => brand.name.clone(),
        b => context! {
            name => brand.name, instagram => brand.handles.instagram, tiktok => brand.handles.tiktok,
            youtube => brand.handles.youtube, x => brand.handles.x,
            hashtags => list(&brand.hashtags), keywords => list(&brand.keywords),
            targets => list(&brand.target_categories),
        },
        weights => vec![
            ("reach", "Reach (micro is best)", w.reach), ("engagement", "Engagement", w.engagement),
            ("authenticity", "Authenticity", w.authenticity), ("affinity", "Category affinity", w.affinity),
            ("brand_love", "Brand love", w.brand_love), ("customer_value", "Customer value", w.customer_value),
        ],
        tiers => vec![
            ("micro", "Micro from", brand.tiers.micro), ("micro_high", "Upper micro from", brand.tiers.micro_high),
            ("macro", "Macro from", brand.tiers.r#macro), ("mega", "Mega from", brand.tiers.mega),
        ],
        users => users,
        tokens => tokens,
        roles => roles,
        notice => context! { ok => notice.ok, error => notice.error, token => notice.token },
        categories => super::v(kith_core::category::TAXONOMY.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
    })?;
    Ok(html(body))
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Query(q): Query<NoticeParam>,
) -> Result<Response, PageError> {
    let notice = state.flashes.take(&me, q.notice.as_deref());
    let secret_shown = notice.token.is_some();
    let mut page = render(&state, &me, notice).await?;
    if secret_shown {
        // The page with a new token must not be kept by the browser's cache or history.
        page.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    Ok(page)
}

/// Back to the page, which shows `notice` once.
fn back(state: &AppState, me: &Principal, notice: Notice) -> Result<Response, PageError> {
    Ok(state.flashes.redirect(me, PAGE, notice)?)
}

#[derive(Debug, Deserialize)]
pub struct BrandForm {
    name: String,
    #[serde(default)]
    instagram: String,
    #[serde(default)]
    tiktok: String,
    #[serde(default)]
    youtube: String,
    #[serde(default)]
    x: String,
    #[serde(default)]
    hashtags: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    targets: String,
    reach: f64,
    engagement: f64,
    authenticity: f64,
    affinity: f64,
    brand_love: f64,
    customer_value: f64,
    micro: u64,
    micro_high: u64,
    #[serde(rename = "macro")]
    macro_: u64,
    mega: u64,
}

fn handle(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

pub async fn save_brand(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Form(f): Form<BrandForm>,
) -> Result<Response, PageError> {
    let mut brand = state.blocking(|s| stored_brand(s)).await?;
    brand.name = f.name.trim().to_owned();
    brand.handles = BrandHandles {
        instagram: handle(&f.instagram),
        tiktok: handle(&f.tiktok),
        youtube: handle(&f.youtube),
        x: handle(&f.x),
    };
    brand.hashtags = split(&f.hashtags);
    brand.keywords = split(&f.keywords);
    brand.target_categories = split(&f.targets);
    brand.weights = kith_core::brand::Weights {
        reach: f.reach,
        engagement: f.engagement,
        authenticity: f.authenticity,
        affinity: f.affinity,
        brand_love: f.brand_love,
        customer_value: f.customer_value,
    };
    brand.tiers = kith_core::TierBands {
        micro: f.micro,
        micro_high: f.micro_high,
        r#macro: f.macro_,
        mega: f.mega,
    };
    // Validated the way `brand.toml` is, so the dashboard cannot save what the CLI refuses.
    let text = brand.to_toml();
    if let Err(e) = BrandConfig::from_toml(&text) {
        return back(&state, &me, Notice::error(format!("Not saved: {e}")));
    }
    state.blocking(move |s| s.set_brand(&text)).await?;
    tracing::info!(who = %me.label(), "brand saved");
    // Rescoring reads everything; the page need not wait for it.
    let store = std::sync::Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || {
        if let Err(e) = crate::imports::rescore(store.as_ref()) {
            tracing::error!(error = %e, "rescoring after a brand change failed");
        }
    });
    back(
        &state,
        &me,
        Notice::ok("Brand saved; scores are being refreshed."),
    )
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    email: String,
    password: String,
    role: String,
}

fn role_of(text: &str) -> Result<Role, Failure> {
    Role::parse(text).ok_or_else(|| Failure::BadRequest(format!("{text:?} is not a role")))
}

/// A role above the actor's own cannot be handed out, and only owners touch owners.
fn may_grant(me: &Principal, role: Role) -> Result<(), Failure> {
    if me.role.allows(role) {
        Ok(())
    } else {
        Err(Failure::Forbidden)
    }
}

pub async fn add_user(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Form(f): Form<NewUser>,
) -> Result<Response, PageError> {
    let role = role_of(&f.role)?;
    may_grant(&me, role)?;
    let email = normalise_email(&f.email);
    if !email.contains('@') {
        return back(&state, &me, Notice::error("Enter an email address."));
    }
    if f.password.chars().count() < secret::MIN_PASSWORD_LEN {
        let error = format!(
            "The password needs at least {} characters.",
            secret::MIN_PASSWORD_LEN
        );
        return back(&state, &me, Notice::error(error));
    }
    let hash = tokio::task::spawn_blocking(move || secret::hash_password(&f.password)).await??;
    let e = email.clone();
    let created = state
        .blocking(move |s| s.create_user(&e, &hash, role))
        .await?;
    let notice = match created {
        Some(u) => {
            tracing::info!(who = %me.label(), user = u.id, role = %role, "user added");
            Notice::ok(format!("{email} can now sign in as {role}."))
        }
        None => Notice::error(format!("{email} already has an account.")),
    };
    back(&state, &me, notice)
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    role: String,
}

/// Refuses a change that would touch an owner without being one, or leave no owner.
async fn check_target(
    state: &AppState,
    me: &Principal,
    id: i64,
    new_role: Option<Role>,
) -> Result<(), Failure> {
    let users = state.blocking(|s| s.users()).await?;
    let target = users
        .iter()
        .find(|u| u.id == id)
        .ok_or_else(|| Failure::NotFound(format!("User {id}")))?;
    if target.role == Role::Owner || new_role == Some(Role::Owner) {
        may_grant(me, Role::Owner)?;
    }
    let owners = users.iter().filter(|u| u.role == Role::Owner).count();
    if target.role == Role::Owner && new_role != Some(Role::Owner) && owners <= 1 {
        return Err(Failure::Conflict(
            "The last owner cannot be demoted or removed.".into(),
        ));
    }
    Ok(())
}

pub async fn set_role(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Result<Response, PageError> {
    let role = role_of(&f.role)?;
    may_grant(&me, role)?;
    check_target(&state, &me, id, Some(role)).await?;
    state.blocking(move |s| s.set_user_role(id, role)).await?;
    tracing::info!(who = %me.label(), user = id, role = %role, "role changed");
    back(&state, &me, Notice::ok(format!("Role changed to {role}.")))
}

pub async fn delete_user(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if me.user().is_some_and(|u| u.id == id) {
        return Err(PageError(Failure::Conflict(
            "You cannot remove yourself.".into(),
        )));
    }
    check_target(&state, &me, id, None).await?;
    state.blocking(move |s| s.delete_user(id)).await?;
    tracing::info!(who = %me.label(), user = id, "user removed");
    back(
        &state,
        &me,
        Notice::ok("User removed; their sessions ended."),
    )
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    name: String,
    role: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    let role = role_of(&f.role)?;
    may_grant(&me, role)?;
    let made = secret::new_api_token()?;
    let token = ApiToken {
        id: made.id.clone(),
        name: match f.name.trim() {
            "" => "API token".to_owned(),
            n => n.to_owned(),
        },
        role,
        created_at: OffsetDateTime::now_utc(),
        revoked: false,
    };
    let hash = made.secret_hash.clone();
    state
        .blocking(move |s| s.create_api_token(&token, &hash))
        .await?;
    tracing::info!(who = %me.label(), token = %made.id, role = %role, "API token created");
    back(
        &state,
        &me,
        Notice {
            token: Some(made.token),
            ..Notice::default()
        },
    )
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lookup = id.clone();
    let token = state.blocking(move |s| s.api_token(&lookup)).await?;
    let (token, _) = token.ok_or_else(|| Failure::NotFound(format!("Token {id:?}")))?;
    may_grant(&me, token.role)?;
    state.blocking(move |s| s.revoke_api_token(&id)).await?;
    tracing::info!(who = %me.label(), token = %token.id, "API token revoked");
    back(
        &state,
        &me,
        Notice::ok(format!("Token “{}” revoked.", token.name)),
    )
}
