//! Grouping a stream by key in bounded memory: an external sort.
//!
//! Posts arrive in any order, but a profile is measured from all of its posts at once.
//! [`Grouper`] holds items as they arrive, tagged with a dense key (a profile's index),
//! up to a memory budget; past it, it writes them grouped by key, keys ascending, as one
//! sorted run to an anonymous temporary file. [`Grouper::finish`] merges the runs
//! and yields each key's items together, keys ascending, items in arrival order — the
//! same groups whether or not anything was spilled.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Collects items by key, spilling sorted runs to disk past `budget` bytes.
#[derive(Debug)]
pub struct Grouper<T> {
    key_count: usize,
    budget: usize,
    held_bytes: usize,
    /// Items as they arrived, chunk by chunk, each with its key; `None` slots are gaps.
    chunks: Vec<Vec<Option<(u32, T)>>>,
    /// The held items, counted: what the counting sort needs, gathered as they arrive.
    tally: Tally,
    runs: Vec<File>,
}

/// The keys of held chunks, apart from their items, and how many items each key has.
#[derive(Debug, Default)]
struct Tally {
    /// Per chunk, each slot's key ([`NO_KEY`] for a gap): sorting reads these few bytes
    /// instead of every item again.
    keys: Vec<Vec<u32>>,
    /// Items per key, at the key's index plus one (room for the prefix sums).
    counts: Vec<u32>,
}

const NO_KEY: u32 = u32::MAX;

impl<T: Serialize + DeserializeOwned> Grouper<T> {
    /// Keys run from 0 to `keys - 1`; `budget` is compared with the sum of the sizes
    /// passed to [`Grouper::push_chunk`].
    pub fn new(keys: usize, budget: usize) -> Self {
        Grouper {
            key_count: keys,
            budget,
            held_bytes: 0,
            chunks: Vec::new(),
            tally: Tally {
                keys: Vec::new(),
                counts: vec![0; keys + 1],
            },
            runs: Vec::new(),
        }
    }

    /// Adds a chunk of items, kept where they are; `size` is their approximate size in
    /// memory.
    ///
    /// # Panics
    /// When a key is not below the number of keys given to [`Grouper::new`].
    pub fn push_chunk(&mut self, chunk: Vec<Option<(u32, T)>>, size: usize) -> io::Result<()>
    where
        T: Sync,
    {
        let keys: Vec<u32> = chunk
            .par_iter()
            .map(|item| item.as_ref().map_or(NO_KEY, |(key, _)| *key))
            .collect();
        for &key in &keys {
            if key != NO_KEY {
                let count = self.tally.counts.get_mut(key as usize + 1);
                *count.unwrap_or_else(|| panic!("key {key} out of range")) += 1;
            }
        }
        self.tally.keys.push(keys);
        self.chunks.push(chunk);
        self.held_bytes += size;
        if self.held_bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many sorted runs went to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// Writes the held items grouped by key, keys ascending, as
    /// `key, count, then per item: length, JSON`, and forgets them.
    fn spill(&mut self) -> io::Result<()> {
        let mut file = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let mut json = Vec::new();
        let tally = Tally {
            keys: std::mem::take(&mut self.tally.keys),
            counts: std::mem::replace(&mut self.tally.counts, vec![0; self.key_count + 1]),
        };
        let held = Held::sort(std::mem::take(&mut self.chunks), tally);
        for key in 0..self.key_count as u32 {
            let len = held.group_len(key);
            if len == 0 {
                continue;
            }
            file.write_all(&key.to_le_bytes())?;
            file.write_all(&len_u32(len)?.to_le_bytes())?;
            for item in held.group(key) {
                json.clear();
                serde_json::to_writer(&mut json, item).map_err(io::Error::other)?;
                file.write_all(&len_u32(json.len())?.to_le_bytes())?;
                file.write_all(&json)?;
            }
        }
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.held_bytes = 0;
        Ok(())
    }

    /// Every key's items, keys ascending: in memory when nothing was spilled, else
    /// merged from the runs on disk.
    pub fn finish(mut self) -> io::Result<Groups<T>> {
        if self.runs.is_empty() {
            return Ok(Groups::Held(Held::sort(self.chunks, self.tally)));
        }
        if self.tally.counts.iter().any(|&n| n > 0) {
            self.spill()?;
        }
        let mut runs: Vec<Run<T>> = self
            .runs
            .into_iter()
            .map(|f| Run {
                input: BufReader::with_capacity(1 << 20, f),
                _item: std::marker::PhantomData,
            })
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(key) = run.next_key()? {
                // Ties go to the earlier run: its items arrived first.
                heap.push(Reverse((key, i)));
            }
        }
        Ok(Groups::Merged(Merge { runs, heap }))
    }
}

/// Held items found by key: a counting sort over where they lie, so that grouping moves
/// none of them — they may be most of the memory budget.
#[derive(Debug)]
pub struct Held<T> {
    chunks: Vec<Vec<Option<(u32, T)>>>,
    /// Where each key's entries begin in `order` (one more entry than keys).
    starts: Vec<u32>,
    /// (chunk, slot) of every item, by key then arrival.
    order: Vec<(u32, u32)>,
}

impl<T> Held<T> {
    fn sort(chunks: Vec<Vec<Option<(u32, T)>>>, tally: Tally) -> Self {
        let Tally { keys, counts } = tally;
        let mut starts = counts;
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![(0, 0); starts.last().copied().unwrap_or(0) as usize];
        for (c, chunk) in keys.iter().enumerate() {
            for (s, &key) in chunk.iter().enumerate() {
                if key != NO_KEY {
                    let slot = &mut next[key as usize];
                    order[*slot as usize] = (c as u32, s as u32);
                    *slot += 1;
                }
            }
        }
        Held {
            chunks,
            starts,
            order,
        }
    }

    fn range(&self, key: u32) -> std::ops::Range<usize> {
        let k = key as usize;
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// How many items `key` has.
    pub fn group_len(&self, key: u32) -> usize {
        self.range(key).len()
    }

    /// The items of `key`, in arrival order (none for a key without items).
    pub fn group(&self, key: u32) -> impl Iterator<Item = &T> + '_ {
        self.order[self.range(key)]
            .iter()
            // `order` points at items only.
            .filter_map(|&(c, s)| {
                self.chunks[c as usize][s as usize]
                    .as_ref()
                    .map(|(_, item)| item)
            })
    }

    /// How many keys there are.
    pub fn keys(&self) -> u32 {
        (self.starts.len() - 1) as u32
    }
}

fn len_u32(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(io::Error::other)
}

/// One sorted run on disk, read back key by key.
#[derive(Debug)]
struct Run<T> {
    input: BufReader<File>,
    _item: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Run<T> {
    /// The next key, or `None` at the end of the run.
    fn next_key(&mut self) -> io::Result<Option<u32>> {
        let mut key = [0u8; 4];
        match self.input.read_exact(&mut key) {
            Ok(()) => Ok(Some(u32::from_le_bytes(key))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The items of the key just read, appended to `out`.
    fn read_items(&mut self, out: &mut Vec<T>) -> io::Result<()> {
        let count = self.read_u32()?;
        let mut json = Vec::new();
        for _ in 0..count {
            json.resize(self.read_u32()? as usize, 0);
            self.input.read_exact(&mut json)?;
            out.push(serde_json::from_slice(&json).map_err(io::Error::other)?);
        }
        Ok(())
    }

    fn read_u32(&mut self) -> io::Result<u32> {
        let mut bytes = [0u8; 4];
        self.input.read_exact(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }
}

/// The k-way merge of the spilled runs.
#[derive(Debug)]
pub struct Merge<T> {
    runs: Vec<Run<T>>,
    /// Per run with a key waiting: (that key, the run's index).
    heap: BinaryHeap<Reverse<(u32, usize)>>,
}

impl<T: DeserializeOwned> Merge<T> {
    /// The next group, keys ascending, items in arrival order.
    pub fn next_group(&mut self) -> io::Result<Option<(u32, Vec<T>)>> {
        let Some(&Reverse((key, _))) = self.heap.peek() else {
            return Ok(None);
        };
        let mut items = Vec::new();
        while let Some(&Reverse((k, run))) = self.heap.peek() {
            if k != key {
                break;
            }
            self.heap.pop();
            self.runs[run].read_items(&mut items)?;
            if let Some(next) = self.runs[run].next_key()? {
                self.heap.push(Reverse((next, run)));
            }
        }
        Ok(Some((key, items)))
    }
}

/// Groups in key order, from memory or merged from disk.
#[derive(Debug)]
pub enum Groups<T> {
    /// Everything fitted in memory: the groups, sorted in place.
    Held(Held<T>),
    /// Spilled: each group read back and merged from the runs, one at a time.
    Merged(Merge<T>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(budget: usize, items: &[(u32, &str)]) -> (usize, Vec<(u32, Vec<String>)>) {
        let mut grouper = Grouper::new(4, budget);
        for (key, item) in items {
            grouper
                .push_chunk(vec![Some((*key, (*item).to_owned()))], item.len())
                .unwrap();
        }
        let runs = grouper.spilled_runs();
        let out = match grouper.finish().unwrap() {
            Groups::Held(held) => (0..held.keys())
                .map(|k| (k, held.group(k).cloned().collect::<Vec<_>>()))
                .filter(|(_, items)| !items.is_empty())
                .collect(),
            Groups::Merged(mut merge) => {
                let mut out = Vec::new();
                while let Some(group) = merge.next_group().unwrap() {
                    out.push(group);
                }
                out
            }
        };
        (runs, out)
    }

    const ITEMS: &[(u32, &str)] = &[
        (3, "c1"),
        (1, "a1"),
        (3, "c2"),
        (2, "b1"),
        (1, "a2"),
        (3, "c3"),
        (1, "a3"),
    ];

    #[test]
    fn groups_come_out_by_key_with_items_in_arrival_order() {
        let (runs, out) = groups(usize::MAX, ITEMS);
        assert_eq!(runs, 0);
        assert_eq!(
            out,
            vec![
                (1, vec!["a1".into(), "a2".into(), "a3".into()]),
                (2, vec!["b1".into()]),
                (3, vec!["c1".into(), "c2".into(), "c3".into()]),
            ]
        );
    }

    #[test]
    fn spilling_to_disk_gives_the_same_groups() {
        let (_, in_memory) = groups(usize::MAX, ITEMS);
        for budget in [0, 2, 5] {
            let (runs, spilled) = groups(budget, ITEMS);
            assert!(runs > 0, "budget {budget} should spill");
            assert_eq!(spilled, in_memory, "budget {budget}");
        }
    }

    #[test]
    fn chunks_with_gaps_give_the_same_groups_as_items_one_by_one() {
        let (_, one_by_one) = groups(usize::MAX, ITEMS);
        for budget in [usize::MAX, 3] {
            let mut grouper = Grouper::new(4, budget);
            let mut slots: Vec<Option<(u32, String)>> = Vec::new();
            for (i, (key, item)) in ITEMS.iter().enumerate() {
                slots.push(Some((*key, (*item).to_owned())));
                if i % 2 == 0 {
                    slots.push(None);
                }
                if i % 3 == 2 {
                    grouper.push_chunk(std::mem::take(&mut slots), 2).unwrap();
                }
            }
            grouper.push_chunk(slots, 2).unwrap();
            let out = match grouper.finish().unwrap() {
                Groups::Held(held) => (0..held.keys())
                    .map(|k| (k, held.group(k).cloned().collect::<Vec<_>>()))
                    .filter(|(_, items)| !items.is_empty())
                    .collect::<Vec<_>>(),
                Groups::Merged(mut merge) => {
                    let mut out = Vec::new();
                    while let Some(group) = merge.next_group().unwrap() {
                        out.push(group);
                    }
                    out
                }
            };
            assert_eq!(out, one_by_one, "budget {budget}");
        }
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        assert!(groups(0, &[]).1.is_empty());
    }
}
