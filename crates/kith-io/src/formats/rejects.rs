//! The rejects file of `--skip-bad-rows`: every row set aside, as it was, with its line
//! and the reason, so it can be fixed and imported on its own.
//!
//! The file is `FILE.rejects.csv` beside the input. Its columns are the input's columns
//! followed by `line` and `reason` (`row` and `reason` for a Parquet file, which has rows,
//! not lines); it is created at the first rejected row only.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::formats::{Position, RowError};

/// Where the rejects of `input` go: `customers.csv` → `customers.csv.rejects.csv`.
pub fn rejects_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".rejects.csv");
    PathBuf::from(name)
}

/// Writes rejected rows, creating the file at the first one.
#[derive(Debug)]
pub struct Rejects {
    path: PathBuf,
    writer: Option<csv::Writer<io::BufWriter<File>>>,
    count: u64,
}

impl Rejects {
    pub fn new(path: PathBuf) -> Self {
        Rejects {
            path,
            writer: None,
            count: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many rows were written.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Appends one rejected row; `columns` are the input's column names.
    pub fn write(&mut self, columns: &[String], rejected: &RowError) -> io::Result<()> {
        if self.writer.is_none() {
            let file = File::create(&self.path)?;
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(io::BufWriter::new(file));
            let mut header: Vec<&str> = columns.iter().map(String::as_str).collect();
            // A file's rows are all counted one way: by the first, the header says which.
            let position = match rejected.error.position {
                Position::Row(_) => "row",
                Position::Line(_) | Position::File => "line",
            };
            header.extend([position, "reason"]);
            writer.write_record(&header)?;
            self.writer = Some(writer);
        }
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let mut row: Vec<String> = rejected.row.clone();
        // Keep `line` and `reason` under their headers: a row with extra cells has them
        // joined into its last column, a short row is padded.
        if columns.is_empty() {
            row.clear();
        } else if row.len() > columns.len() {
            let extra = row.split_off(columns.len() - 1).join(",");
            row.push(extra);
        }
        row.resize(columns.len(), String::new());
        let e = &rejected.error;
        let reason = match &e.field {
            Some(f) => format!("field {f:?}: {}", e.message),
            None => e.message.clone(),
        };
        row.push(match e.position {
            Position::Line(n) | Position::Row(n) => n.to_string(),
            Position::File => String::new(),
        });
        row.push(reason);
        writer.write_record(&row)?;
        self.count += 1;
        Ok(())
    }

    /// Flushes the file; returns how many rows it holds.
    pub fn finish(mut self) -> io::Result<u64> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush()?;
        }
        Ok(self.count)
    }
}
