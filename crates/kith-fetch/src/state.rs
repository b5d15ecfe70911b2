//! The state of a run, kept in `{platform}-state.json` beside the output so an
//! interrupted run resumes: handles done or skipped are not fetched again; failed ones
//! are. The file is replaced atomically (written aside, then renamed) after every handle,
//! so a run killed at any moment leaves a state that is whole and true.

use std::path::{Path, PathBuf};

use kith_core::{Handle, Platform};
use serde::{Deserialize, Serialize};

use crate::error::FetchError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Done,
    Skipped,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub handle: Handle,
    pub status: Status,
    /// Why it was skipped or failed, or a note on what was left out (a private account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default)]
    pub profiles: usize,
    #[serde(default)]
    pub posts: usize,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub at: Option<time::OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunState {
    pub version: u32,
    pub platform: Platform,
    pub handles: Vec<Entry>,
}

impl RunState {
    pub fn path(dir: &Path, platform: Platform) -> PathBuf {
        dir.join(format!("{platform}-state.json"))
    }

    /// The saved state, or a fresh one when there is none.
    pub fn load(path: &Path, platform: Platform) -> Result<RunState, FetchError> {
        let bad = |message: String| FetchError::State {
            path: path.to_owned(),
            message,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(RunState {
                    version: 1,
                    platform,
                    handles: Vec::new(),
                });
            }
            Err(e) => return Err(bad(e.to_string())),
        };
        let state: RunState = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if state.platform != platform {
            return Err(bad(format!(
                "it belongs to {}, not {platform}",
                state.platform
            )));
        }
        Ok(state)
    }

    pub fn save(&self, path: &Path) -> Result<(), FetchError> {
        let io = |source| FetchError::Io {
            path: path.to_owned(),
            source,
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        let aside = path.with_extension("json.tmp");
        std::fs::write(&aside, text + "\n").map_err(io)?;
        std::fs::rename(&aside, path).map_err(io)
    }

    pub fn get(&self, handle: &Handle) -> Option<&Entry> {
        self.handles.iter().find(|e| &e.handle == handle)
    }

    /// Whether a handle needs no more fetching.
    pub fn settled(&self, handle: &Handle) -> bool {
        self.get(handle)
            .is_some_and(|e| matches!(e.status, Status::Done | Status::Skipped))
    }

    pub fn record(&mut self, entry: Entry) {
        match self.handles.iter_mut().find(|e| e.handle == entry.handle) {
            Some(e) => *e = entry,
            None => self.handles.push(entry),
        }
    }
}
