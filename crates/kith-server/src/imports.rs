//! Uploads: a file is streamed to a temporary file, then imported in the background in
//! one transaction (nothing half-imported), and the scores are refreshed. Progress (bytes
//! read) and the outcome — counts, or the exact error with file, line and field — are
//! kept for the last [`KEEP`] uploads of this process.
//!
//! Files are read through the format registry of `kith_io::formats`, as `kith import`
//! reads them: the format is the one chosen, or guessed from the file when exactly one
//! format recognises it; the generic csv format takes a mapping file beside the upload.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Extension;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use kith_core::{BrandConfig, score_population};
use kith_io::formats::{self, Mapping, OpenError, Opened};
use kith_io::ndjson::RecordKind;
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

/// The largest mapping file accepted, as the CLI's limit.
const MAX_MAPPING: usize = 1 << 20;

/// One format of the registry, as the upload form offers it.
#[derive(Debug, Clone, Serialize)]
pub struct FormatChoice {
    pub name: &'static str,
    /// The record kinds a file of this format holds.
    pub kinds: Vec<&'static str>,
}

/// Every format `kith import` reads, in the registry's order.
pub fn formats() -> Vec<FormatChoice> {
    formats::FORMATS
        .iter()
        .map(|f| FormatChoice {
            name: f.name,
            kinds: f.kinds.iter().map(|k| k.as_str()).collect(),
        })
        .collect()
}

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
    /// The format read: the one chosen, or the one guessed once the file was opened.
    pub format: Option<String>,
    /// Whether the format was guessed from the file.
    pub guessed: bool,
    pub state: JobState,
    pub bytes_total: u64,
    pub bytes_read: u64,
    /// Records written (when done).
    pub imported: u64,
    /// The reason nothing was imported (when failed), naming file, line and field.
    pub errors: Vec<String>,
    /// RFC 3339.
    pub started_at: String,
    /// Warnings about the file (an encoding fallback, rows a format skips on purpose).
    pub notices: Vec<String>,
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

    fn opened(&self, id: u64, format: &str) {
        self.with(|(_, jobs)| {
            if let Some(j) = jobs.iter_mut().find(|j| j.public.id == id) {
                j.public.format = Some(format.to_owned());
            }
        })
    }

    fn finish(&self, id: u64, outcome: Result<u64, String>, notices: Vec<String>) {
        self.with(|(_, jobs)| {
            if let Some(j) = jobs.iter_mut().find(|j| j.public.id == id) {
                j.public.notices = notices;
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

/// A temporary copy of an upload, in a folder of its own under the uploaded file's
/// name (so messages and format guessing see `customers.csv`, not a temporary name);
/// removed when dropped.
struct Upload {
    dir: PathBuf,
    path: PathBuf,
}

impl Upload {
    fn create(name: &str) -> Result<Upload, Failure> {
        let dir = std::env::temp_dir().join(format!(
            "kith-upload-{}-{}",
            std::process::id(),
            crate::auth::secret::random_hex(8)?
        ));
        std::fs::create_dir(&dir)?;
        let path = dir.join(name);
        Ok(Upload { dir, path })
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The longest file name kept, in characters; file systems refuse much longer ones.
const MAX_NAME: usize = 120;

/// The uploaded file's own name, without any folder; never one that leaves the folder.
/// A long name keeps its end, where the extension that helps guess the format is.
fn file_name(sent: Option<&str>) -> String {
    let name = sent
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n))
        .filter(|n| !n.is_empty() && *n != "." && *n != ".." && !n.contains('\0'))
        .unwrap_or("upload");
    let skip = name.chars().count().saturating_sub(MAX_NAME);
    name.chars().skip(skip).collect()
}

/// What the form says to read the file as.
#[derive(Debug)]
struct Request {
    kind: RecordKind,
    /// `None`: guess from the file.
    format: Option<&'static str>,
    mapping: Option<Mapping>,
}

/// Checks the form's choices before anything runs, so a wrong choice is a 400 rather
/// than a failed import.
fn request(
    kind: Option<String>,
    format: Option<String>,
    mapping: Option<(String, Vec<u8>)>,
) -> Result<Request, Failure> {
    let kind_name = kind.unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|(n, _)| *n == kind_name.trim())
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            Failure::BadRequest(
                "kind must be customers, employees, profiles, posts, reviews or orders".into(),
            )
        })?;
    let format = match format.as_deref().map(str::trim) {
        None | Some("" | "auto") => None,
        Some(name) => {
            let f = formats::find(name).ok_or_else(|| {
                let names: Vec<&str> = formats::FORMATS.iter().map(|f| f.name).collect();
                Failure::BadRequest(format!(
                    "unknown format {name:?}; the formats are {}",
                    names.join(", ")
                ))
            })?;
            if !f.kinds.contains(&kind) {
                let holds: Vec<&str> = f.kinds.iter().map(|k| k.as_str()).collect();
                return Err(Failure::BadRequest(format!(
                    "the {} format holds {}, not {kind}",
                    f.name,
                    holds.join(" or ")
                )));
            }
            Some(f.name)
        }
    };
    let mapping = match mapping {
        Some((name, bytes)) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Failure::BadRequest(format!("{name}: a mapping file is UTF-8 TOML"))
            })?;
            Some(Mapping::parse(&text, &name).map_err(|e| Failure::BadRequest(e.to_string()))?)
        }
        None => None,
    };
    match (format, &mapping) {
        (Some("csv"), None) => Err(Failure::BadRequest(
            "the csv format needs a mapping file that says which column is which field".into(),
        )),
        (Some(f), Some(_)) if f != "csv" => Err(Failure::BadRequest(format!(
            "a mapping file applies to the csv format, not {f}"
        ))),
        _ => Ok(Request {
            kind,
            format,
            mapping,
        }),
    }
}

/// Reads the multipart form (`kind`, optional `format`, optional `mapping`, `file`),
/// saves the file and starts importing it. Returns the job's id.
pub async fn start(state: &AppState, mut form: Multipart, by: &Principal) -> Result<u64, Failure> {
    let mut kind = None;
    let mut format = None;
    let mut mapping: Option<(String, Vec<u8>)> = None;
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
            "mapping" => {
                let name = file_name(field.file_name());
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| Failure::BadRequest(format!("the upload stopped: {e}")))?
                {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_MAPPING {
                        return Err(Failure::BadRequest(format!(
                            "{name}: a mapping file is at most 1 MiB"
                        )));
                    }
                }
                // A form with no mapping chosen still sends the field, empty.
                if !bytes.is_empty() {
                    mapping = Some((name, bytes));
                }
            }
            "file" => {
                let name = file_name(field.file_name());
                let upload = Upload::create(&name)?;
                let mut file = std::fs::File::create(&upload.path)?;
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
    let asked = request(kind, format, mapping)?;
    let (upload, name, size) =
        saved.ok_or_else(|| Failure::BadRequest("choose a file to upload".into()))?;
    let progress = Arc::new(AtomicU64::new(0));
    let id = state.imports.add(
        ImportJob {
            id: 0,
            kind: asked.kind.as_str().to_owned(),
            file: name.clone(),
            format: asked.format.map(str::to_owned),
            guessed: asked.format.is_none(),
            state: JobState::Running,
            bytes_total: size,
            bytes_read: 0,
            imported: 0,
            errors: Vec::new(),
            started_at: OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            notices: Vec::new(),
        },
        Arc::clone(&progress),
    );
    tracing::info!(job = id, who = %by.label(), kind = %asked.kind, format = ?asked.format, bytes = size, "import started");
    let store = Arc::clone(&state.store);
    let imports = state.imports.clone();
    let identity = state.identity.clone();
    tokio::task::spawn_blocking(move || {
        let mut notices = Vec::new();
        let outcome = match open(&upload, asked) {
            Ok(opened) => {
                imports.opened(id, opened.format.name);
                let n = opened.notices.clone();
                let outcome = import_file(store.as_ref(), opened, &progress);
                notices = n.take();
                outcome
            }
            Err(e) => Err(e),
        };
        drop(upload);
        if let Err(e) = &outcome {
            tracing::warn!(job = id, error = %e, "import failed");
        }
        imports.finish(id, outcome, notices);
        // The person pages' next resolution, ready before they are opened.
        if let Err(e) = identity.refresh(store.as_ref()) {
            tracing::warn!(error = %e, "cannot resolve identities after an import");
        }
    });
    Ok(id)
}

/// Opens the upload in the chosen or guessed format; the error is what the user sees.
fn open(upload: &Upload, asked: Request) -> Result<Opened, String> {
    let input = formats::Input::open(&upload.path, asked.kind).map_err(|e| open_error(&e))?;
    formats::open_input(input, asked.format, asked.mapping).map_err(|e| open_error(&e))
}

/// The registry's reasons, in the dashboard's words where they name the CLI's flags.
fn open_error(e: &OpenError) -> String {
    let text = match e {
        OpenError::Unrecognised { file, candidates } => {
            format!("cannot tell the format of {file}; choose it in Format ({candidates})")
        }
        OpenError::Ambiguous { file, candidates } => {
            format!("{file} looks like more than one format ({candidates}); choose it in Format")
        }
        OpenError::NeedsMapping => {
            "the csv format needs a mapping file that says which column is which field".into()
        }
        OpenError::MappingWithoutCsv(f) => {
            format!("a mapping file applies to the csv format, not {f}")
        }
        other => other.to_string(),
    };
    format!("{text} — nothing was imported")
}

/// Imports the file in one transaction, then rescores; the error text is what the user
/// sees. The first bad row stops it, and the store writes nothing (all or nothing).
fn import_file(
    store: &dyn Store,
    opened: Opened,
    progress: &Arc<AtomicU64>,
) -> Result<u64, String> {
    let Opened {
        records,
        progress: bytes,
        ..
    } = opened;
    let mut records = records.map(|r| {
        progress.store(bytes.load(Ordering::Relaxed), Ordering::Relaxed);
        r.map_err(|e| Box::new(e.error) as InputError)
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
    request_body(content_type = "multipart/form-data", description = "Fields `kind` (customers, employees, profiles, posts, reviews, orders), `format` (any of `kith import --format`: ndjson, csv, parquet, shopify, shopify-orders, klaviyo, bamboohr, judgeme, yotpo, instagram-graph, tiktok, youtube, x, instaloader; guessed from the file when absent), `mapping` (a mapping file, for csv) and `file`"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_keeps_only_its_own_name() {
        assert_eq!(file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(
            file_name(Some("C:\\exports\\customers.csv")),
            "customers.csv"
        );
        assert_eq!(file_name(Some("..")), "upload");
        assert_eq!(file_name(None), "upload");
        let long = format!("{}.csv", "é".repeat(300));
        let kept = file_name(Some(&long));
        assert_eq!(kept.chars().count(), MAX_NAME);
        assert!(kept.ends_with(".csv"));
    }
}
