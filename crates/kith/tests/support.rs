//! Running the real binary against a fresh data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A fresh kith home: its own data directory and scratch space.
pub struct Kith {
    pub dir: TempDir,
    pub database_url: Option<String>,
}

impl Kith {
    pub fn new() -> Kith {
        Kith {
            dir: tempfile::tempdir().expect("temp dir"),
            database_url: None,
        }
    }

    pub fn with_database(url: String) -> Kith {
        Kith {
            dir: tempfile::tempdir().expect("temp dir"),
            database_url: Some(url),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
        cmd.env_remove("KITH_DATABASE_URL")
            .env_remove("KITH_DATA")
            .arg("--data")
            .arg(self.dir.path().join("data"));
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("kith runs")
    }

    /// Runs and insists on success, returning standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kith {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Generates the demo brand without serving, `customers` customers strong.
    pub fn demo(&self, customers: u32) -> PathBuf {
        let out = self.path("demo");
        self.ok(&[
            "demo",
            "--no-serve",
            "--out",
            out.to_str().expect("utf-8 path"),
            "--customers",
            &customers.to_string(),
            "--employees",
            "60",
        ]);
        out
    }

    pub fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["status", "--format", "json"])).expect("status is JSON")
    }

    /// The keys of `kith status --format json`, in the order printed.
    pub fn status_keys(&self) -> Vec<String> {
        let status = self.status();
        let object = status.as_object().expect("status is an object");
        object.keys().cloned().collect()
    }
}

pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("csv opens");
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

pub const CONTRACT_HEADER: &str = "rank,person_id,source,name,platform,handle,followers,tier,engagement_rate,er_index,authenticity,authenticity_flags,categories,brand_mentions,brand_sentiment,customer_value,fit_score,explanation";

/// The address a spawned `kith serve`/`kith demo` says it listens on. Its standard error
/// keeps being drained afterwards, so the server never writes into a closed pipe.
pub fn listen_address(child: &mut std::process::Child) -> String {
    use std::io::{BufRead, BufReader};
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("serving on http://").nth(1) {
                let _ = tx.send(
                    rest.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("the server says where it listens")
}

/// The keys `kith status --format json` prints, in order: a contract.
pub const STATUS_KEYS: [&str; 11] = [
    "customers",
    "employees",
    "profiles",
    "posts",
    "reviews",
    "orders",
    "candidates",
    "programs",
    "members",
    "clicks",
    "conversions",
];
