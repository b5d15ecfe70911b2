//! Identity resolution as the dashboard shows it: each person's linked, proposed and
//! rejected profiles, resolved once per change of the data rather than once per page.
//!
//! Which profiles are a person's depends on every other person's claim on them, so
//! resolution reads everyone and weighs every claim: about 0.7 s for 100,000 people and
//! 50,000 profiles (docs/PERFORMANCE.md, "Identity resolution"). The person page used to
//! pay that on every view. Instead the server keeps the rows of one resolution, keyed by
//! the store's `data_version` — which every import, brand change and decision moves — so
//! a request asks the store one small question and reads its person's rows from memory.
//! When the version moved, the first request resolves again (requests arriving meanwhile
//! wait for that one rather than resolving too); the server also resolves in the
//! background when it starts, after its own uploads and decisions, and within a couple of
//! seconds of a change made behind its back (the CLI importing while it runs). The rows are
//! exactly those a resolution for the one request would give (a test compares them for
//! every person of a demo brand).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use kith_core::identity::{LinkReason, Resolution};
use kith_core::{Handle, Platform, Profile};
use kith_io::formats::matches::{self, ProposedLink};
use kith_store::{IdentityInputs, Store, StoreError};
use serde::Serialize;

/// Where a link between a person and a profile stands, as the person page lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct LinkRow {
    pub platform: &'static str,
    pub handle: String,
    pub profile_name: String,
    pub followers: Option<u64>,
    /// 0–100.
    pub confidence: f64,
    pub evidence: String,
    /// `confirmed`, `linked` (by resolution alone), `review` or `rejected`.
    pub status: &'static str,
}

/// One resolution, by person.
#[derive(Debug)]
struct Resolved {
    data_version: i64,
    /// Each person's rows: confirmed and linked first, then those waiting for review,
    /// then the rejected ones; by platform and handle within each. People without any
    /// are absent.
    rows: HashMap<String, Vec<LinkRow>>,
    /// Every imported profile, for checking a decision names one.
    profiles: HashSet<(Platform, Handle)>,
}

impl Resolved {
    fn build(inputs: &IdentityInputs, resolution: &Resolution) -> Resolved {
        Resolved {
            data_version: inputs.data_version,
            rows: rows_by_person(inputs, resolution),
            profiles: inputs
                .profiles
                .iter()
                .map(|p| (p.platform, p.handle.clone()))
                .collect(),
        }
    }
}

fn row(p: ProposedLink, status: &'static str) -> LinkRow {
    LinkRow {
        platform: p.platform.as_str(),
        handle: p.handle.as_str().to_owned(),
        profile_name: p.profile_name,
        followers: p.followers,
        confidence: p.confidence * 100.0,
        evidence: p.evidence,
        status,
    }
}

/// Every person's rows of one resolution of `inputs`.
fn rows_by_person(
    inputs: &IdentityInputs,
    resolution: &Resolution,
) -> HashMap<String, Vec<LinkRow>> {
    let mut rows: HashMap<String, Vec<LinkRow>> = HashMap::new();
    let linked = matches::proposed(&inputs.people, &inputs.profiles, &resolution.links);
    for (link, shown) in resolution.links.iter().zip(linked) {
        let status = match link.reason {
            LinkReason::Confirmed => "confirmed",
            _ => "linked",
        };
        rows.entry(shown.person_id.clone())
            .or_default()
            .push(row(shown, status));
    }
    // Built over the whole queue, so the evidence counts the other people proposed.
    for proposed in matches::proposed(&inputs.people, &inputs.profiles, &resolution.to_review) {
        rows.entry(proposed.person_id.clone())
            .or_default()
            .push(row(proposed, "review"));
    }
    let profiles: HashMap<(Platform, &Handle), &Profile> = inputs
        .profiles
        .iter()
        .map(|p| ((p.platform, &p.handle), p))
        .collect();
    for c in inputs.confirmations.iter().filter(|c| !c.accepted) {
        let profile = profiles.get(&(c.platform, &c.handle));
        rows.entry(c.person_id.clone()).or_default().push(LinkRow {
            platform: c.platform.as_str(),
            handle: c.handle.as_str().to_owned(),
            profile_name: profile
                .and_then(|p| p.display_name.clone())
                .unwrap_or_default(),
            followers: profile.and_then(|p| p.followers),
            confidence: 0.0,
            evidence: "rejected by a person".into(),
            status: "rejected",
        });
    }
    rows
}

/// How often the server looks for changes to the data it did not make itself.
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// The latest resolution, as the server holds it.
#[derive(Clone, Default)]
pub struct Identity {
    current: Arc<RwLock<Option<Arc<Resolved>>>>,
    /// Held while resolving, so only one request or thread resolves at a time.
    resolving: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").finish_non_exhaustive()
    }
}

impl Identity {
    fn current(&self) -> Option<Arc<Resolved>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A resolution of the data as it is now (or newer), resolving when there is none.
    fn fresh(&self, store: &dyn Store) -> Result<Arc<Resolved>, StoreError> {
        let version = store.data_version()?;
        if let Some(resolved) = self.current().filter(|r| r.data_version == version) {
            return Ok(resolved);
        }
        let _one = self
            .resolving
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Resolved by another request while this one waited?
        if let Some(resolved) = self.current().filter(|r| r.data_version >= version) {
            return Ok(resolved);
        }
        let started = Instant::now();
        let inputs = store.identity_inputs()?;
        let resolution = inputs.resolve();
        let resolved = Arc::new(Resolved::build(&inputs, &resolution));
        // `kith status` shows the same resolution in counts; it need not compute it again.
        let summary = inputs.summary(&resolution);
        if let Err(e) = store.save_identity_summary(&summary) {
            tracing::warn!(error = %e, "cannot keep the identity summary");
        }
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&resolved));
        tracing::info!(
            people = inputs.people.len(),
            profiles = inputs.profiles.len(),
            data_version = inputs.data_version,
            ms = started.elapsed().as_millis() as u64,
            "identity resolved"
        );
        Ok(resolved)
    }

    /// The person's rows, from a resolution of the data as it is now.
    pub(crate) fn links(
        &self,
        store: &dyn Store,
        person_id: &str,
    ) -> Result<Vec<LinkRow>, StoreError> {
        Ok(self
            .fresh(store)?
            .rows
            .get(person_id)
            .cloned()
            .unwrap_or_default())
    }

    /// Whether a profile was imported, as of now.
    pub(crate) fn has_profile(
        &self,
        store: &dyn Store,
        platform: Platform,
        handle: &Handle,
    ) -> Result<bool, StoreError> {
        Ok(self
            .fresh(store)?
            .profiles
            .contains(&(platform, handle.clone())))
    }

    /// Resolves now, on this thread, unless the held resolution is current (startup,
    /// tests, benchmarks).
    pub fn refresh(&self, store: &dyn Store) -> Result<(), StoreError> {
        self.fresh(store).map(|_| ())
    }

    /// Resolves now and then again whenever the data has moved — also behind the
    /// server's back, as when the CLI imports while it runs — looking every
    /// [`WATCH_EVERY`], on a thread of its own that ends once the store is dropped. A
    /// person page then finds the resolution ready instead of paying for it.
    pub fn follow_changes(&self, store: &Arc<dyn Store>) {
        let this = self.clone();
        let store = Arc::downgrade(store);
        let spawned = std::thread::Builder::new()
            .name("kith-identity".into())
            .spawn(move || {
                while let Some(store) = store.upgrade() {
                    if let Err(e) = this.refresh(store.as_ref()) {
                        tracing::warn!(error = %e, "cannot resolve identities");
                    }
                    drop(store);
                    std::thread::sleep(WATCH_EVERY);
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot watch for changes to resolve");
        }
    }

    /// Resolves on another thread, so the next person page need not wait.
    pub fn refresh_in_background(&self, store: &Arc<dyn Store>) {
        let this = self.clone();
        let store = Arc::clone(store);
        std::thread::spawn(move || {
            if let Err(e) = this.refresh(store.as_ref()) {
                tracing::warn!(error = %e, "cannot resolve identities");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use kith_core::identity::Confirmation;
    use kith_core::{Person, Record};
    use kith_io::demo::{DemoOptions, write_demo};
    use kith_io::ndjson::{NdjsonReader, RecordKind};

    use super::*;

    /// The person page's rows as it computed them before they were kept: one person's
    /// share of a full resolution (the resolution and the review rows are made once here,
    /// as the page made them on every view).
    fn one_person(
        person_id: &str,
        inputs: &IdentityInputs,
        resolution: &Resolution,
        linked: &[ProposedLink],
        queue: &[ProposedLink],
    ) -> Vec<LinkRow> {
        let mut rows = Vec::new();
        for (link, shown) in resolution.links.iter().zip(linked) {
            if link.person_id == person_id {
                let status = match link.reason {
                    LinkReason::Confirmed => "confirmed",
                    _ => "linked",
                };
                rows.push(row(shown.clone(), status));
            }
        }
        rows.extend(
            queue
                .iter()
                .filter(|p| p.person_id == person_id)
                .map(|p| row(p.clone(), "review")),
        );
        for c in &inputs.confirmations {
            if c.person_id == person_id && !c.accepted {
                let profile = inputs
                    .profiles
                    .iter()
                    .find(|p| p.platform == c.platform && p.handle == c.handle);
                rows.push(LinkRow {
                    platform: c.platform.as_str(),
                    handle: c.handle.as_str().to_owned(),
                    profile_name: profile
                        .and_then(|p| p.display_name.clone())
                        .unwrap_or_default(),
                    followers: profile.and_then(|p| p.followers),
                    confidence: 0.0,
                    evidence: "rejected by a person".into(),
                    status: "rejected",
                });
            }
        }
        rows
    }

    fn read(path: &std::path::Path, kind: RecordKind) -> Vec<Record> {
        let file = std::fs::File::open(path).unwrap();
        NdjsonReader::new(BufReader::new(file), "demo", kind)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A demo brand's people and profiles, namesakes, and decisions of every kind.
    fn demo_inputs() -> IdentityInputs {
        let dir = tempfile::tempdir().unwrap();
        let opts = DemoOptions {
            seed: 7,
            customers: 1_500,
            employees: 40,
        };
        let files = write_demo(dir.path(), &opts).unwrap();
        let mut people: Vec<Person> = Vec::new();
        let mut profiles: Vec<Profile> = Vec::new();
        for record in read(&files.customers, RecordKind::Customers)
            .into_iter()
            .chain(read(&files.employees, RecordKind::Employees))
            .chain(read(&files.profiles, RecordKind::Profiles))
        {
            match record {
                Record::Person(p) => people.push(p),
                Record::Profile(p) => profiles.push(p),
                other => panic!("unexpected {other:?}"),
            }
        }
        // Namesakes in the same cities, declaring nothing, and profiles that name them, or
        // carry an email in the bio: claims of every strength, contested links, a queue.
        let template = profiles[0].clone();
        let mut extra = Vec::new();
        for (i, p) in people.iter().take(90).enumerate() {
            let name = format!(
                "{} {}",
                p.first_name.as_deref().unwrap_or_default(),
                p.last_name.as_deref().unwrap_or_default()
            );
            let (handle, bio) = match i {
                0..30 => (format!("namesake{i}"), p.city.clone().unwrap_or_default()),
                30..60 => (format!("nameonly{i}"), String::new()),
                _ => (
                    format!("mailer{i}"),
                    format!("biz: {}", p.email.as_deref().unwrap_or_default()),
                ),
            };
            extra.push(Profile {
                platform: Platform::Tiktok,
                handle: Handle::parse(&handle).unwrap(),
                display_name: Some(name),
                bio: Some(bio),
                external_url: None,
                ..template.clone()
            });
        }
        profiles.extend(extra);
        let twins: Vec<Person> = people
            .iter()
            .take(60)
            .map(|p| Person {
                id: format!("twin-{}", p.id),
                email: None,
                handles: Default::default(),
                ..p.clone()
            })
            .collect();
        people.extend(twins);
        let mut inputs = IdentityInputs {
            people,
            profiles,
            confirmations: Vec::new(),
            data_version: 1,
        };
        let resolution = inputs.resolve();
        assert!(resolution.links.len() > 100 && resolution.to_review.len() > 10);
        // Confirm a link waiting for review, reject a linked one and one proposed, and
        // reject a profile that was never imported.
        let decide = |l: &kith_core::identity::Link, accepted| Confirmation {
            person_id: l.person_id.clone(),
            platform: l.platform,
            handle: l.handle.clone(),
            accepted,
        };
        let mut confirmations = vec![
            decide(&resolution.to_review[0], true),
            decide(&resolution.links[3], false),
            decide(&resolution.to_review[resolution.to_review.len() - 1], false),
            Confirmation {
                person_id: inputs.people[0].id.clone(),
                platform: Platform::X,
                handle: Handle::parse("never.imported").unwrap(),
                accepted: false,
            },
        ];
        confirmations.sort_by(|a, b| {
            (&a.person_id, a.platform, &a.handle).cmp(&(&b.person_id, b.platform, &b.handle))
        });
        inputs.confirmations = confirmations;
        inputs
    }

    #[test]
    fn a_change_made_behind_the_servers_back_is_resolved_before_anyone_asks() {
        let db = kith_store::testing::sqlite();
        let store: Arc<dyn Store> = db.store();
        let identity = Identity::default();
        let person = |id: &str| {
            Record::Person(Person {
                id: id.to_owned(),
                email: Some(format!("{id}@example.com")),
                ..Person::default()
            })
        };
        let resolved_at = |identity: &Identity| identity.current().map(|r| r.data_version);
        let wait_for = |version: i64| {
            let start = Instant::now();
            while resolved_at(&identity) != Some(version)
                && start.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            resolved_at(&identity)
        };
        store
            .import(&mut std::iter::once(Ok(person("c-1"))))
            .unwrap();
        identity.follow_changes(&store);
        assert_eq!(
            wait_for(store.data_version().unwrap()),
            Some(store.data_version().unwrap())
        );
        // Another process imports (here: the store directly, not the server's pages).
        store
            .import(&mut std::iter::once(Ok(person("c-2"))))
            .unwrap();
        let moved = store.data_version().unwrap();
        assert_eq!(wait_for(moved), Some(moved));
    }

    #[test]
    fn every_persons_kept_rows_are_those_a_full_resolution_gives_them() {
        let inputs = demo_inputs();
        let resolution = inputs.resolve();
        let kept = Resolved::build(&inputs, &resolution);
        let linked = matches::proposed(&inputs.people, &inputs.profiles, &resolution.links);
        let queue = matches::proposed(&inputs.people, &inputs.profiles, &resolution.to_review);
        let mut statuses = HashSet::new();
        for person in &inputs.people {
            let expected = one_person(&person.id, &inputs, &resolution, &linked, &queue);
            let got = kept.rows.get(&person.id).cloned().unwrap_or_default();
            assert_eq!(got, expected, "{}", person.id);
            statuses.extend(got.iter().map(|r| r.status));
        }
        assert_eq!(
            statuses,
            HashSet::from(["confirmed", "linked", "review", "rejected"]),
            "every kind of row was compared"
        );
        let rows: usize = kept.rows.values().map(Vec::len).sum();
        assert_eq!(
            rows,
            resolution.links.len()
                + resolution.to_review.len()
                + inputs.confirmations.iter().filter(|c| !c.accepted).count(),
            "and no row of anyone else"
        );
        assert_eq!(kept.profiles.len(), inputs.profiles.len());
    }
}
