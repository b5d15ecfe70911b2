//! Uploads: a file is streamed to a temporary file, then imported in the background in
//! one transaction (nothing half-imported), and the scores are refreshed. Progress (bytes
//! read) and the outcome — counts, or the exact error with file, line and field — are
//! kept for the last [`KEEP`] uploads of this process.
//!
//! Reads canonical NDJSON today, through `kith_io::ndjson::NdjsonReader`; the format
//! registry of `kith_io::formats` should be wired in here when it lands.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Extension;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use kith_core::{BrandConfig, score_population};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use kith_store::{ImportError, InputError, Store};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, Failure};

/// How many uploads are remembered.
const KEEP: usize = 50;
/// The largest upload accepted.
pub const MAX_UPLOAD: usize = 1 << 30;

/// Lets uploads past axum's default 2 MB body limit, on the upload routes only.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_UPLOAD)
}

/// The record kinds a file can hold, as the CLI names them.
pub const KINDS: [(&str, RecordKind); 6] = [
    ("customers", RecordKind::Customers),
    ("employees", RecordKind::Employees),
    ("profiles", RecordKind::Profiles),
    ("posts", RecordKind::Posts),
    ("reviews", RecordKind::Reviews),
    ("orders", RecordKind::Orders),
];

/// The formats the server can read now.
pub const FORMATS: [&str; 1] = ["ndjson"];

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    Failed,
}

/// One upload, as the API reports it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportJob {
    pub id: u64,
    pub kind: String,
    pub file: String,
    pub state: JobState,
    pub bytes_total: u64,
    pub bytes_read: u64,
    /// Records written (when done).
    pub imported: u64,
    /// The reason nothing was imported (when failed), naming file, line and field.
    pub errors: Vec<String>,
    /// RFC 3339.
    pub started_at: String,
}

#[derive(Debug)]
struct Job {
    public: ImportJob,
    progress: Arc<AtomicU64>,
}

/// The uploads of this process, newest last.
#[derive(Debug, Clone, Default)]
pub struct Imports(Arc<Mutex<(u64, Vec<Job>)>>);

impl Imports {
    fn with<T>(&self, f: impl FnOnce(&mut (u64, Vec<Job>)) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn get(&self, id: u64) -> Option<ImportJob> {
        self.with(|(_, jobs)| {
            jobs.iter().find(|j| j.public.id == id).map(|j| {
                let mut public = j.public.clone();
                public.bytes_read = j.progress.load(Ordering::Relaxed).min(public.bytes_total);
                public
            })
        })
    }

    pub fn list(&self) -> Vec<ImportJob> {
        let ids: Vec<u64> = self.with(|(_, jobs)| jobs.iter().rev().map(|j| j.public.id).collect());
        ids.into_iter().filter_map(|id| self.get(id)).collect()
    }

    fn add(&self, mut public: ImportJob, progress: Arc<AtomicU64>) -> u64 {
        self.with(|(next, jobs)| {
            *next += 1;
            public.id = *next;
            jobs.push(Job { public, progress });
            if jobs.len() > KEEP {
                jobs.remove(0);
            }
            *next
        })
    }

    fn finish(&self, id: u64, outcome: Result<u64, String>) {
        self.with(|(_, jobs)| {
            if let Some(j) = jobs.iter_mut().find(|j| j.public.id == id) {
                match outcome {
                    Ok(n) => {
                        j.public.state = JobState::Done;
                        j.public.imported = n;
                        j.progress.store(j.public.bytes_total, Ordering::Relaxed);
                    }
                    Err(e) => {
                        j.public.state = JobState::Failed;
                        j.public.errors = vec![e];
                    }
                }
            }
        })
    }
}

/// A temporary copy of an upload, removed when dropped.
struct Upload(PathBuf);

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Reads the multipart form (`kind`, optional `format`, `file`), saves the file and
/// starts importing it. Returns the job's id.
pub async fn start(state: &AppState, mut form: Multipart, by: &Principal) -> Result<u64, Failure> {
    let mut kind = None;
    let mut format = None;
    let mut saved: Option<(Upload, String, u64)> = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| Failure::BadRequest(format!("the upload is malformed: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "kind" => {
                kind = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| Failure::BadRequest(e.to_string()))?,
                )
            }
            "format" => {
                format = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| Failure::BadRequest(e.to_string()))?,
                )
            }
            "file" => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "upload".to_owned());
                let path = std::env::temp_dir().join(format!(
                    "kith-upload-{}-{}",
                    std::process::id(),
                    crate::auth::secret::random_hex(8)?
                ));
                let upload = Upload(path);
                let mut file = std::fs::File::create(&upload.0)?;
                let mut size = 0u64;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| Failure::BadRequest(format!("the upload stopped: {e}")))?
                {
                    size += chunk.len() as u64;
                    file.write_all(&chunk)?;
                }
                file.flush()?;
                saved = Some((upload, name, size));
            }
            _ => {}
        }
    }
    let kind_name = kind.unwrap_or_default();
    let record_kind = KINDS
        .iter()
        .find(|(n, _)| *n == kind_name.trim())
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            Failure::BadRequest(
                "kind must be customers, employees, profiles, posts, reviews or orders".into(),
            )
        })?;
    let format = format
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "ndjson".into());
    if !FORMATS.contains(&format.as_str()) {
        return Err(Failure::BadRequest(format!(
            "format {format:?} cannot be uploaded yet; the server reads canonical ndjson (the CLI's `kith import` reads the others)"
        )));
    }
    let (upload, name, size) =
        saved.ok_or_else(|| Failure::BadRequest("choose a file to upload".into()))?;
    let progress = Arc::new(AtomicU64::new(0));
    let id = state.imports.add(
        ImportJob {
            id: 0,
            kind: kind_name.trim().to_owned(),
            file: name.clone(),
            state: JobState::Running,
            bytes_total: size,
            bytes_read: 0,
            imported: 0,
            errors: Vec::new(),
            started_at: OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        },
        Arc::clone(&progress),
    );
    tracing::info!(job = id, who = %by.label(), kind = %kind_name.trim(), bytes = size, "import started");
    let store = Arc::clone(&state.store);
    let imports = state.imports.clone();
    tokio::task::spawn_blocking(move || {
        let outcome = import_file(store.as_ref(), &upload, &name, record_kind, &progress);
        if let Err(e) = &outcome {
            tracing::warn!(job = id, error = %e, "import failed");
        }
        imports.finish(id, outcome);
    });
    Ok(id)
}

/// Imports the file in one transaction, then rescores; the error text is what the user sees.
fn import_file(
    store: &dyn Store,
    upload: &Upload,
    name: &str,
    kind: RecordKind,
    progress: &Arc<AtomicU64>,
) -> Result<u64, String> {
    let file =
        std::fs::File::open(&upload.0).map_err(|e| format!("cannot reopen the upload: {e}"))?;
    let reader = NdjsonReader::new(std::io::BufReader::with_capacity(1 << 16, file), name, kind);
    let bytes = reader.bytes_read();
    let mut records = reader.map(|r| {
        progress.store(bytes.load(Ordering::Relaxed), Ordering::Relaxed);
        r.map_err(|e| Box::new(e) as InputError)
    });
    let report = match store.import(&mut records) {
        Ok(report) => report,
        Err(ImportError::Input(e)) => return Err(format!("{e} — nothing was imported")),
        Err(ImportError::Store(e)) => {
            tracing::error!(error = %e, "import failed in the store");
            return Err(
                "the store failed; nothing was imported (details are in the server log)".into(),
            );
        }
    };
    rescore(store).map_err(|e| {
        tracing::error!(error = %e, "rescoring after an import failed");
        "imported, but rescoring failed (details are in the server log)".to_owned()
    })?;
    Ok(report.total())
}

/// Recomputes the candidates when the data moved since they were scored.
pub fn rescore(store: &dyn Store) -> Result<(), Box<dyn std::error::Error>> {
    let version = store.data_version()?;
    if store.scored_version()? == Some(version) {
        return Ok(());
    }
    let brand = match store.brand()? {
        Some(text) => BrandConfig::from_toml(&text)?,
        None => BrandConfig::named("Your brand"),
    };
    let population = store.population()?;
    let candidates = score_population(&population, &brand, OffsetDateTime::now_utc());
    store.replace_candidates(&candidates, version)?;
    Ok(())
}

/// Uploads of this process, newest first.
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports",
    responses((status = 200, description = "Recent uploads", body = Vec<ImportJob>)),
    security(("bearer" = [])))]
pub async fn api_list(State(state): State<AppState>) -> Json<Vec<ImportJob>> {
    Json(state.imports.list())
}

/// Uploads a file (multipart: `kind`, optional `format`, `file`) and starts importing it.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports",
    request_body(content_type = "multipart/form-data", description = "Fields `kind` (customers, employees, profiles, posts, reviews, orders), `format` (ndjson) and `file`"),
    responses(
        (status = 202, description = "Import started; poll it", body = ImportJob),
        (status = 400, description = "Bad form", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn api_create(
    State(state): State<AppState>,
    Extension(by): Extension<Principal>,
    form: Multipart,
) -> Result<(StatusCode, Json<ImportJob>), ApiError> {
    let id = start(&state, form, &by).await?;
    let job = state
        .imports
        .get(id)
        .ok_or_else(|| Failure::NotFound(format!("Import {id}")))?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// One upload: progress, then counts or the exact errors.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports",
    params(("id" = u64, Path, description = "The upload's id")),
    responses(
        (status = 200, description = "The upload", body = ImportJob),
        (status = 404, description = "No such upload", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn api_one(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<ImportJob>, ApiError> {
    Ok(Json(state.imports.get(id).ok_or_else(|| {
        Failure::NotFound(format!("Import {id}"))
    })?))
}
