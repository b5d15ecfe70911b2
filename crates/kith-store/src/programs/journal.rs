//! The click journal: a log that makes a batch of clicks durable with one small
//! sequential write and one `fdatasync`, instead of the embedded store's write-ahead-log
//! commit (a page per touched B-tree node, then an fsync).
//!
//! The SQLite click log writes each batch to the journal and syncs it: the batch is then
//! durable and its redirects are answered. A mover thread inserts journalled batches into
//! the store in order (several per transaction, `synchronous = NORMAL`), recording in the
//! same transaction how far the journal is applied ([`POSITION`]); queries through the
//! store wait for the batches journalled before them (`sqlite::programs::Visibility`), so
//! the inserts never sit between a click and its answer (measured: docs/PERFORMANCE.md).
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
//! per batch: `b"KJ02"`, payload length (u32 LE), FNV-1a 64 of the segment number and the
//! payload (u64 LE), payload. A record that is short or fails its checksum ends the
//! segment (a torn last write, or the zeros of its unused part).
//!
//! Segments are files zero-filled before use (`<db>-clicks-spare.journal`, prepared in
//! the background while the current one fills) and written in place: appending to a
//! file makes every `fdatasync` also write the file's size and extents, which on this
//! project's test machine took 0.20 ms per sync against 0.13 ms in place (p50 of 2,000
//! syncs of 6.4 KB, `bench/fsync.py`). The store deletes a segment once it has applied
//! everything in it.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use kith_core::program::code::ReferralCode;
use time::OffsetDateTime;

use super::NewClick;

/// The name of the applied position in `program_secrets` (`segment:offset`, decimal).
pub const POSITION: &str = "click_journal_position";

/// The size of a prepared segment.
const SEGMENT_BYTES: u64 = 16 << 20;
/// The size of the segment a start begins when no spare is ready: small, so that
/// opening the click log stays quick (a test suite opens it hundreds of times).
const FIRST_SEGMENT_BYTES: u64 = 256 << 10;
/// Records whose checksum also covers their segment's number, so a record left in a
/// reused file can never be read as one of the new segment's.
const MAGIC: &[u8; 4] = b"KJ02";
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

/// The open journal: the segment being written.
#[derive(Debug)]
pub struct Journal {
    base: PathBuf,
    segment: u64,
    file: File,
    len: u64,
    /// The bytes of this segment written with zeros before use: writing inside them
    /// changes no file metadata, so `fdatasync` flushes the data block alone.
    prepared: u64,
    /// The next segment's file, being zero-filled in the background.
    spare: Option<JoinHandle<io::Result<()>>>,
}

fn segment_path(base: &Path, segment: u64) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(format!("-clicks-{segment:016x}.journal"));
    PathBuf::from(name)
}

/// The zero-filled file the next segment is renamed from; never read as a segment.
fn spare_path(base: &Path) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push("-clicks-spare.journal");
    PathBuf::from(name)
}

/// Writes a zero-filled spare segment (to a temporary name, synced, then renamed, so a
/// spare that exists is whole).
fn prepare_spare(base: &Path, bytes: u64) -> io::Result<()> {
    let spare = spare_path(base);
    let mut tmp = spare.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut file = File::create(&tmp)?;
    let zeros = vec![0u8; 1 << 20];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    std::fs::rename(&tmp, &spare)
}

fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
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

/// Deletes every segment before `segment`: call only once they are all applied.
pub fn delete_before(base: &Path, segment: u64) -> io::Result<()> {
    for old in segments(base)? {
        if old < segment {
            std::fs::remove_file(segment_path(base, old))?;
        }
    }
    Ok(())
}

impl Drop for Journal {
    /// Lets a spare being prepared finish, so a journal opened next never races it.
    fn drop(&mut self) {
        if let Some(spare) = self.spare.take() {
            let _ = spare.join();
        }
    }
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
            for (end, clicks) in records(&bytes, segment) {
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

    /// The new segment takes the spare if one was prepared (by this run or an earlier
    /// one); otherwise a small one is zero-filled now, so that opening stays quick and
    /// the full-size spare is prepared in the background once it is half used.
    fn create(base: &Path, segment: u64) -> io::Result<Journal> {
        let path = segment_path(base, segment);
        let spare = spare_path(base);
        if !spare.exists() {
            prepare_spare(base, FIRST_SEGMENT_BYTES)?;
        }
        std::fs::rename(&spare, &path)?;
        // The new name must survive a power cut too.
        sync_dir(&path)?;
        let file = OpenOptions::new().write(true).open(&path)?;
        let prepared = file.metadata()?.len();
        Ok(Journal {
            base: base.to_owned(),
            segment,
            file,
            len: 0,
            prepared,
            spare: None,
        })
    }

    /// Deletes every segment before the current one: call only once all are applied.
    pub fn delete_applied(&self) -> io::Result<()> {
        delete_before(&self.base, self.segment)
    }

    /// Moves to a new segment when `bytes` more would not fit in the prepared part of
    /// this one. The old segments stay until the store has applied them
    /// ([`delete_before`]).
    fn make_room(&mut self, bytes: u64) -> io::Result<()> {
        if self.len > 0 && self.len + bytes > self.prepared {
            if let Some(spare) = self.spare.take() {
                spare
                    .join()
                    .map_err(|_| io::Error::other("preparing the next segment panicked"))??;
            }
            let next = Journal::create(&self.base, self.segment + 1)?;
            *self = next;
        } else if self.spare.is_none() && self.len * 2 >= self.prepared {
            let base = self.base.clone();
            self.spare = Some(std::thread::spawn(move || {
                prepare_spare(&base, SEGMENT_BYTES)
            }));
        }
        Ok(())
    }

    /// Writes one batch (not yet synced) and returns the position just past it.
    pub fn write(&mut self, clicks: &[NewClick]) -> io::Result<Position> {
        let payload = payload(clicks);
        self.make_room((HEADER + payload.len()) as u64)?;
        let record = record(&payload, self.segment);
        self.file.write_all_at(&record, self.len)?;
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
}

/// FNV-1a 64 of the segment's number then the payload.
fn checksum(segment: u64, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in segment.to_le_bytes().iter().chain(bytes) {
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

fn payload(clicks: &[NewClick]) -> Vec<u8> {
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
    payload
}

fn record(payload: &[u8], segment: u64) -> Vec<u8> {
    let mut record = Vec::with_capacity(HEADER + payload.len());
    record.extend_from_slice(MAGIC);
    record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    record.extend_from_slice(&checksum(segment, payload).to_le_bytes());
    record.extend_from_slice(payload);
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
/// first record that is short or damaged — the torn tail of a write cut short — or that
/// is not this segment's, and at the zeros of its unused part.
fn records(bytes: &[u8], segment: u64) -> Vec<(u64, Vec<NewClick>)> {
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
        if checksum(segment, payload) != sum {
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
        let torn = record(&payload(&[click(4, None)]), j.segment);
        j.file.write_all_at(&torn[..torn.len() - 3], j.len).unwrap();

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
    fn a_full_segment_moves_on_to_a_prepared_one_and_a_reused_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("kith.db");
        let mut j = Journal::start(&base, Position::default()).unwrap();
        let first = j.segment;
        assert_eq!(j.prepared, FIRST_SEGMENT_BYTES);
        let batch: Vec<NewClick> = (0..500).map(|i| click(i, None)).collect();
        let mut ends = Vec::new();
        while j.segment == first {
            ends.push(j.write(&batch).unwrap());
        }
        // The batch that did not fit went whole to the next, full-size segment.
        assert_eq!(j.prepared, SEGMENT_BYTES);
        assert_eq!(ends.last().unwrap().segment, first + 1);
        assert!(ends[ends.len() - 2].offset <= FIRST_SEGMENT_BYTES);
        let all = Journal::unapplied(&base, Position::default()).unwrap();
        assert_eq!(all.len(), ends.len());
        assert!(
            all.iter()
                .zip(&ends)
                .all(|(b, e)| b.end == *e && b.clicks == batch)
        );

        // A file that held segment 2's records, reused as segment 3, holds nothing.
        let second = j.segment;
        drop(j);
        std::fs::rename(segment_path(&base, second), spare_path(&base)).unwrap();
        let applied = Position {
            segment: second,
            offset: 0,
        };
        let j = Journal::start(&base, applied).unwrap();
        assert_eq!(j.segment, second + 1);
        assert!(j.prepared > FIRST_SEGMENT_BYTES);
        let again = Journal::unapplied(&base, applied).unwrap();
        assert!(again.is_empty(), "{again:?}");
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
