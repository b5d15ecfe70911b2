//! The click journal: an append-only file that makes a batch of clicks durable with one
//! small sequential write and one `fdatasync`, instead of the embedded store's
//! write-ahead-log commit (a page per touched B-tree node, then an fsync).
//!
//! The SQLite click log appends each batch to the journal and syncs it: the batch is
//! then durable and its redirects may be answered. A mover thread inserts journalled
//! batches into the store in order (several per transaction, `synchronous = NORMAL`),
//! recording in the same transaction how far the journal is applied ([`POSITION`]).
//! The click writer waits for the mover only when no click waits behind the batch, so
//! under load the inserts no longer sit between a click and its answer, and at rest a
//! click is visible to readers before its 302 (measured: docs/PERFORMANCE.md).
//!
//! What each failure leaves:
//! - the process killed (SIGKILL) at any point: every answered batch is in the journal;
//!   those the mover had not committed are replayed on the next start. Nothing answered
//!   is lost (`crates/kith/tests/programs.rs` kills the server under load to check it).
//! - a power cut: `NORMAL` may lose the last commits of the store, never the journal's
//!   synced batches; they are replayed from the recorded position.
//! - **exactly once**: the position moves in the same transaction as the clicks it
//!   covers, so a batch is either applied with its position or neither; replay skips
//!   everything up to the position. Every start begins a fresh segment, so a position
//!   never points into bytes written after a torn tail.
//!
//! Layout: segments `<db>-clicks-<16 hex digits>.journal` beside the database; one record
//! per batch: `b"KJ01"`, payload length (u32 LE), FNV-1a 64 of the payload (u64 LE),
//! payload. A record that is short or fails its checksum ends the segment (a torn last
//! write). Applied segments are deleted when a new one starts.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use kith_core::program::code::ReferralCode;
use time::OffsetDateTime;

use super::NewClick;

/// The name of the applied position in `program_secrets` (`segment:offset`, decimal).
pub const POSITION: &str = "click_journal_position";

/// A new segment starts past this size.
const SEGMENT_BYTES: u64 = 64 << 20;
const MAGIC: &[u8; 4] = b"KJ01";
const HEADER: usize = 16;

/// A point in the journal: everything before `offset` in `segment` (and every earlier
/// segment) is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub segment: u64,
    pub offset: u64,
}

impl Position {
    pub fn parse(text: &str) -> Option<Position> {
        let (s, o) = text.split_once(':')?;
        Some(Position {
            segment: s.parse().ok()?,
            offset: o.parse().ok()?,
        })
    }

    pub fn text(&self) -> String {
        format!("{}:{}", self.segment, self.offset)
    }
}

/// One batch read back, and the position just past it.
#[derive(Debug)]
pub struct Batch {
    pub end: Position,
    pub clicks: Vec<NewClick>,
}

/// The open journal: the segment being appended to.
#[derive(Debug)]
pub struct Journal {
    base: PathBuf,
    segment: u64,
    file: File,
    len: u64,
}

fn segment_path(base: &Path, segment: u64) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(format!("-clicks-{segment:016x}.journal"));
    PathBuf::from(name)
}

/// The segments beside `base`, in order.
fn segments(base: &Path) -> io::Result<Vec<u64>> {
    let dir = match base.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(
        "{}-clicks-",
        base.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(hex) = name
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".journal"))
            && let Ok(n) = u64::from_str_radix(hex, 16)
        {
            found.push(n);
        }
    }
    found.sort_unstable();
    Ok(found)
}

impl Journal {
    /// The batches written after `applied`, to be replayed before anything else.
    pub fn unapplied(base: &Path, applied: Position) -> io::Result<Vec<Batch>> {
        let mut out = Vec::new();
        for segment in segments(base)? {
            if segment < applied.segment {
                continue;
            }
            let mut bytes = Vec::new();
            File::open(segment_path(base, segment))?.read_to_end(&mut bytes)?;
            for (end, clicks) in records(&bytes) {
                let end = Position {
                    segment,
                    offset: end,
                };
                if end > applied {
                    out.push(Batch { end, clicks });
                }
            }
        }
        Ok(out)
    }

    /// Starts a fresh segment past every existing one (and past `applied`).
    pub fn start(base: &Path, applied: Position) -> io::Result<Journal> {
        let last = segments(base)?.last().copied().unwrap_or(0);
        let segment = last.max(applied.segment) + 1;
        Journal::create(base, segment)
    }

    fn create(base: &Path, segment: u64) -> io::Result<Journal> {
        let path = segment_path(base, segment);
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)?;
        // The new name must survive a power cut too.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir)?.sync_all()?;
        }
        Ok(Journal {
            base: base.to_owned(),
            segment,
            file,
            len: 0,
        })
    }

    /// Deletes every segment before the current one: call only once all are applied.
    pub fn delete_applied(&self) -> io::Result<()> {
        for segment in segments(&self.base)? {
            if segment < self.segment {
                std::fs::remove_file(segment_path(&self.base, segment))?;
            }
        }
        Ok(())
    }

    /// Whether the next batch should go to a new segment.
    pub fn full(&self) -> bool {
        self.len >= SEGMENT_BYTES
    }

    /// Moves to a new segment (the caller deletes the old ones once applied).
    pub fn rotate(&mut self) -> io::Result<()> {
        *self = Journal::create(&self.base, self.segment + 1)?;
        Ok(())
    }

    /// Writes one batch (not yet synced) and returns the position just past it.
    pub fn write(&mut self, clicks: &[NewClick]) -> io::Result<Position> {
        let record = encode(clicks);
        self.file.write_all(&record)?;
        self.len += record.len() as u64;
        Ok(Position {
            segment: self.segment,
            offset: self.len,
        })
    }

    /// The file, to sync.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The position just past the last batch written.
    pub fn end(&self) -> Position {
        Position {
            segment: self.segment,
            offset: self.len,
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const NONE: u16 = u16::MAX;

fn put_text(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        // Visitor ids, hashes and codes are short; anything longer is cut, never
        // silently mis-framed.
        Some(t) => {
            let t = &t.as_bytes()[..t.len().min(usize::from(NONE - 1))];
            out.extend_from_slice(&(t.len() as u16).to_le_bytes());
            out.extend_from_slice(t);
        }
        None => out.extend_from_slice(&NONE.to_le_bytes()),
    }
}

fn encode(clicks: &[NewClick]) -> Vec<u8> {
    let mut payload = Vec::with_capacity(4 + clicks.len() * 96);
    payload.extend_from_slice(&(clicks.len() as u32).to_le_bytes());
    for c in clicks {
        payload.extend_from_slice(&c.member_id.to_le_bytes());
        let micros = (c.at.unix_timestamp_nanos() / 1_000) as i64;
        payload.extend_from_slice(&micros.to_le_bytes());
        put_text(&mut payload, Some(&c.visitor));
        put_text(&mut payload, c.ip_hash.as_deref());
        match c.content_id {
            Some(id) => {
                payload.push(1);
                payload.extend_from_slice(&id.to_le_bytes());
            }
            None => payload.push(0),
        }
        put_text(
            &mut payload,
            c.single_use_code.as_ref().map(ReferralCode::as_str),
        );
    }
    let mut record = Vec::with_capacity(HEADER + payload.len());
    record.extend_from_slice(MAGIC);
    record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    record.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    record.extend_from_slice(&payload);
    record
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn text(&mut self) -> Option<Option<String>> {
        let n = self.u16()?;
        if n == NONE {
            return Some(None);
        }
        let bytes = self.take(usize::from(n))?;
        Some(Some(String::from_utf8(bytes.to_vec()).ok()?))
    }
}

fn decode(payload: &[u8]) -> Option<Vec<NewClick>> {
    let mut r = Reader(payload);
    let n = r.u32()?;
    let mut clicks = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let member_id = r.i64()?;
        let micros = r.i64()?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000).ok()?;
        let visitor = r.text()??;
        let ip_hash = r.text()?;
        let content_id = match r.take(1)?[0] {
            0 => None,
            _ => Some(r.i64()?),
        };
        let single_use_code = match r.text()? {
            Some(code) => Some(ReferralCode::parse(&code).ok()?),
            None => None,
        };
        clicks.push(NewClick {
            member_id,
            visitor,
            at,
            ip_hash,
            content_id,
            single_use_code,
        });
    }
    Some(clicks)
}

/// The whole records of a segment: (offset just past each, its clicks). Stops at the
/// first record that is short or damaged — the torn tail of a write cut short.
fn records(bytes: &[u8]) -> Vec<(u64, Vec<NewClick>)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while let Some(header) = bytes.get(at..at + HEADER) {
        if &header[..4] != MAGIC {
            break;
        }
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let sum = u64::from_le_bytes(header[8..16].try_into().unwrap_or_default());
        let Some(payload) = bytes.get(at + HEADER..at + HEADER + len) else {
            break;
        };
        if fnv1a(payload) != sum {
            break;
        }
        let Some(clicks) = decode(payload) else {
            break;
        };
        at += HEADER + len;
        out.push((at as u64, clicks));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click(i: i64, code: Option<&str>) -> NewClick {
        NewClick {
            member_id: i,
            visitor: format!("{i:032x}"),
            at: OffsetDateTime::from_unix_timestamp_nanos(1_764_000_000_123_456_000).unwrap(),
            ip_hash: (i % 2 == 0).then(|| "ab".repeat(16)),
            content_id: (i % 3 == 0).then_some(i * 10),
            single_use_code: code.map(|c| ReferralCode::parse(c).unwrap()),
        }
    }

    #[test]
    fn batches_read_back_as_written_and_a_torn_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("kith.db");
        let mut j = Journal::start(&base, Position::default()).unwrap();
        let a = vec![click(1, None), click(2, Some("MAYA10-X1"))];
        let b = vec![click(3, None)];
        let end_a = j.write(&a).unwrap();
        let end_b = j.write(&b).unwrap();
        // A third write cut short by a crash.
        let torn = encode(&[click(4, None)]);
        j.file.write_all(&torn[..torn.len() - 3]).unwrap();

        let all = Journal::unapplied(&base, Position::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].end, &all[0].clicks), (end_a, &a));
        assert_eq!((all[1].end, &all[1].clicks), (end_b, &b));
        let rest = Journal::unapplied(&base, end_a).unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].clicks, b);
        assert!(Journal::unapplied(&base, end_b).unwrap().is_empty());
    }

    #[test]
    fn a_batch_journalled_but_not_committed_is_replayed_exactly_once() {
        use crate::Store;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kith.db");
        let store = crate::sqlite::SqliteStore::open(&db).unwrap();
        let clicks = || store.status().unwrap().clicks;
        let mut log = store.programs().click_log().unwrap();
        log.append(&[click(1, None), click(2, None)]).unwrap();
        log.append(&[click(3, Some("MAYA10-X1"))]).unwrap();
        drop(log);
        assert_eq!(clicks(), 3);
        // The process dies after journalling (and syncing) a batch, before its commit.
        let mut j = Journal::start(&db, Position::default()).unwrap();
        j.write(&[click(4, None), click(5, Some("MAYA10-X2"))])
            .unwrap();
        j.file.sync_data().unwrap();
        drop(j);
        assert_eq!(clicks(), 3);
        // The next start replays it; the one after finds nothing more to replay.
        drop(store.programs().click_log().unwrap());
        assert_eq!(clicks(), 5);
        drop(store.programs().click_log().unwrap());
        assert_eq!(clicks(), 5);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let codes: i64 = conn
            .query_row("SELECT COUNT(*) FROM click_codes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(codes, 2);
        // Applied segments are gone; only the fresh one is left.
        assert_eq!(segments(&db).unwrap().len(), 1);
    }

    #[test]
    fn each_start_takes_a_new_segment_and_applied_ones_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("kith.db");
        let mut first = Journal::start(&base, Position::default()).unwrap();
        let end = first.write(&[click(1, None)]).unwrap();
        let second = Journal::start(&base, end).unwrap();
        assert_eq!(second.segment, first.segment + 1);
        assert_eq!(segments(&base).unwrap().len(), 2);
        second.delete_applied().unwrap();
        assert_eq!(segments(&base).unwrap(), [second.segment]);
        assert_eq!(Position::parse(&end.text()), Some(end));
    }
}
