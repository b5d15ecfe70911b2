//! One-shot notices for Post/Redirect/Get: a form's handler does its work, keeps what
//! the next page should say under a random id, and answers `303 See Other` to a page
//! with `?notice=ID`. That page takes the notice out, so reloading it neither repeats
//! the form nor shows the notice again.
//!
//! The notice stays on the server rather than in the URL: a new API token is a secret
//! that must not reach browser history or a proxy's log, and a message in the query
//! string could be forged by anyone who sends a link. A notice is shown only to the
//! one who caused it, and is forgotten after [`TTL`] or once [`KEEP`] newer ones exist.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::auth::{Principal, secret};
use crate::error::Failure;

/// How long an unread notice is kept.
const TTL: Duration = Duration::from_secs(10 * 60);
/// How many unread notices are kept, all users together.
const KEEP: usize = 1_000;

/// What a page shows after a form.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Notice {
    pub ok: Option<String>,
    pub error: Option<String>,
    /// A new API token, shown this once.
    pub token: Option<String>,
    /// A new portal sign-in link, shown this once.
    pub link: Option<String>,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Notice {
        Notice {
            ok: Some(text.into()),
            ..Notice::default()
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            error: Some(text.into()),
            ..Notice::default()
        }
    }
}

#[derive(Debug)]
struct Entry {
    id: String,
    owner: String,
    made: Instant,
    notice: Notice,
}

/// The unread notices of this process, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flashes(Arc<Mutex<VecDeque<Entry>>>);

/// The `?notice=` of a page that can show one.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeParam {
    #[serde(default)]
    pub notice: Option<String>,
}

impl Flashes {
    fn with<T>(&self, f: impl FnOnce(&mut VecDeque<Entry>) -> T) -> T {
        let mut entries = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|e| e.made.elapsed() < TTL);
        f(&mut entries)
    }

    /// Keeps `notice` for `by` and answers with a redirect to `path` that shows it.
    pub fn redirect(
        &self,
        by: &Principal,
        path: &str,
        notice: Notice,
    ) -> Result<Response, Failure> {
        let id = secret::random_hex(16)?;
        let owner = by.label();
        self.with(|entries| {
            if entries.len() >= KEEP {
                entries.pop_front();
            }
            entries.push_back(Entry {
                id: id.clone(),
                owner,
                made: Instant::now(),
                notice,
            });
        });
        let sep = if path.contains('?') { '&' } else { '?' };
        Ok(Redirect::to(&format!("{path}{sep}notice={id}")).into_response())
    }

    /// The notice `id` if `by` caused it; it is forgotten either way once read by them.
    pub fn take(&self, by: &Principal, id: Option<&str>) -> Notice {
        let Some(id) = id else {
            return Notice::default();
        };
        let owner = by.label();
        self.with(|entries| {
            let at = entries
                .iter()
                .position(|e| e.id == id && e.owner == owner)?;
            entries.remove(at).map(|e| e.notice)
        })
        .unwrap_or_default()
    }
}
