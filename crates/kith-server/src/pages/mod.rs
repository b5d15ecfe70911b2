//! Server-rendered pages. Templates are embedded in the binary and escape by default;
//! htmx swaps fragments for filtering, sorting, paging and import progress.
//!
//! # Layout
//! One module per page: `overview`, `discover`, `person`, `programs`, `import`,
//! `settings`; sign-in
//! lives in [`crate::auth`]. Templates are under `src/templates/`. `flash` keeps the
//! one-shot notice a form leaves for the page it redirects to.

pub(crate) mod discover;
pub(crate) mod flash;
pub(crate) mod import;
pub(crate) mod overview;
pub(crate) mod person;
pub(crate) mod programs;
pub(crate) mod settings;

use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use kith_store::Role;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use crate::AppState;
use crate::auth::Principal;
use crate::error::PageError;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("discover.html", include_str!("../templates/discover.html")),
    (
        "_candidates.html",
        include_str!("../templates/_candidates.html"),
    ),
    ("person.html", include_str!("../templates/person.html")),
    ("import.html", include_str!("../templates/import.html")),
    (
        "_import_job.html",
        include_str!("../templates/_import_job.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
    (
        "program_leaderboard.html",
        include_str!("../templates/program_leaderboard.html"),
    ),
    (
        "program_payouts.html",
        include_str!("../templates/program_payouts.html"),
    ),
    ("_notice.html", include_str!("../templates/_notice.html")),
    ("programs.html", include_str!("../templates/programs.html")),
    ("program.html", include_str!("../templates/program.html")),
];

pub(crate) fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        // A template that fails to parse is a build defect; the test suite renders each.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not parse");
        }
    }
    env.add_filter("pct", |x: Option<f64>| {
        x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
    });
    env.add_filter("num", |x: Option<f64>, places: Option<usize>| {
        x.map(|v| format!("{v:.*}", places.unwrap_or(0)))
            .unwrap_or_default()
    });
    env.add_filter("compact", |x: Option<u64>| {
        x.map(kith_core::fit::compact).unwrap_or_default()
    });
    env.add_filter("urlencode_q", |s: String| url_encode(&s));
    env
}

/// Any serialisable value as a template value.
pub(crate) fn v<T: Serialize>(x: T) -> Value {
    Value::from(minijinja::value::Serde(x))
}

/// The signed-in user as every page's header shows them.
#[derive(Debug, Serialize)]
pub(crate) struct Me {
    email: String,
    role: &'static str,
    csrf: String,
    can_manage: bool,
    can_admin: bool,
}

impl Me {
    pub(crate) fn of(p: &Principal) -> Me {
        Me {
            email: p
                .user()
                .map(|u| u.email.clone())
                .unwrap_or_else(|| "API token".into()),
            role: p.role.as_str(),
            csrf: p.csrf().to_owned(),
            can_manage: p.role.allows(Role::Manager),
            can_admin: p.role.allows(Role::Admin),
        }
    }

    pub(crate) fn value(p: &Principal) -> Value {
        v(Me::of(p))
    }
}

/// Percent-encodes a query-string value.
pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a form value: `+` is a space, `%XX` a byte; invalid UTF-8 is replaced.
pub(crate) fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The HTML of an error page; plain text if even the template fails.
pub(crate) fn error_page(status: StatusCode, message: &str) -> String {
    static ENV: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    let env = ENV.get_or_init(templates);
    env.get_template("error.html")
        .and_then(|t| t.render(context! { status => status.as_u16(), reason => status.canonical_reason(), message => message }))
        .unwrap_or_else(|_| message.to_owned())
}

/// Anything no route matches.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let api = uri.path().starts_with("/api/");
    crate::error::Failure::NotFound(format!("Page {}", uri.path())).respond(api)
}

pub(crate) fn html(body: String) -> Response {
    Html(body).into_response()
}

/// A page a form may redirect to: `template` rendered with the signed-in user, the
/// navigation entry to light, the notice `notice_id` names (shown once, and only to
/// whoever caused it) and the page's own `values`.
pub(crate) fn page_with_notice(
    state: &AppState,
    me: &Principal,
    template: &str,
    nav: &str,
    notice_id: Option<&str>,
    values: Value,
) -> Result<Response, PageError> {
    let notice = state.flashes.take(me, notice_id);
    let body = state.templates.get_template(template)?.render(context! {
        me => Me::value(me),
        nav,
        notice => v(&notice),
        ..values
    })?;
    Ok(html(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        let env = templates();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn url_values_round_trip() {
        for s in [
            "food & drink",
            "/discover?tier=micro&page=2",
            "ünïcode",
            "100%",
        ] {
            assert_eq!(url_decode(&url_encode(s)), s);
        }
        assert_eq!(url_decode("a+b%2"), "a b%2");
    }
}
