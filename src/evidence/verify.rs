//! `laatu verify`: proves that a bundle is what was exported, from the
//! bundle alone.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::bundle::{AuditSegment, FileEntry, Manifest, root_of};
use super::{AUDIT_EVENTS, AUDIT_SEGMENT, FORMAT, MANIFEST};
use crate::audit::{AuditEvent, event_hash};

/// Something about a bundle that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The file is not a zip archive, or cannot be read.
    Unreadable(String),
    /// There is no `manifest.json`, or it is not a manifest of this format.
    NoManifest(String),
    /// The manifest's root is not the root of the files it lists: the
    /// manifest was edited.
    RootMismatch {
        /// The root the manifest states.
        stated: String,
        /// The root of the files it lists.
        computed: String,
    },
    /// A file in the bundle that the manifest does not list.
    Added(String),
    /// A file the manifest lists that the bundle lacks.
    Removed(String),
    /// A file whose size or SHA-256 is not what the manifest says.
    Changed(String),
    /// The audit-trail segment does not chain: the event with this
    /// sequence number, and why.
    AuditChain(i64, String),
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Unreadable(e) => write!(f, "unreadable: {e}"),
            Finding::NoManifest(e) => write!(f, "no manifest: {e}"),
            Finding::RootMismatch { stated, computed } => write!(
                f,
                "manifest edited: it states root {stated}, its file list gives {computed}"
            ),
            Finding::Added(p) => write!(f, "added: {p} (not in the manifest)"),
            Finding::Removed(p) => write!(f, "removed: {p} (in the manifest, not in the bundle)"),
            Finding::Changed(p) => write!(
                f,
                "changed: {p} (size or SHA-256 differs from the manifest)"
            ),
            Finding::AuditChain(seq, why) => write!(f, "audit trail: event {seq}: {why}"),
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The manifest, when one could be read.
    pub manifest: Option<Manifest>,
    /// Files whose hash was recomputed.
    pub files_checked: usize,
    /// Audit events whose chain was recomputed.
    pub events_checked: usize,
    /// Everything that does not hold; empty when the bundle is intact.
    pub findings: Vec<Finding>,
}

impl Verification {
    /// Whether everything holds.
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

fn failed(finding: Finding) -> Verification {
    Verification {
        manifest: None,
        files_checked: 0,
        events_checked: 0,
        findings: vec![finding],
    }
}

/// Verifies the bundle at `path`: every file against the manifest, the
/// manifest's root, and the audit-trail segment's hash chain.
pub fn verify(path: &Path) -> Verification {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return failed(Finding::Unreadable(e.to_string())),
    };
    let mut zip = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
        Ok(z) => z,
        Err(e) => return failed(Finding::Unreadable(e.to_string())),
    };
    let manifest: Manifest = match zip.by_name(MANIFEST) {
        Ok(mut m) => {
            let mut text = Vec::new();
            if let Err(e) = m.read_to_end(&mut text) {
                return failed(Finding::Unreadable(e.to_string()));
            }
            match serde_json::from_slice::<Manifest>(&text) {
                Ok(m) if m.format == FORMAT => m,
                Ok(m) => {
                    return failed(Finding::NoManifest(format!(
                        "unknown format `{}`",
                        m.format
                    )));
                }
                Err(e) => return failed(Finding::NoManifest(e.to_string())),
            }
        }
        Err(_) => return failed(Finding::NoManifest(format!("{MANIFEST} is missing"))),
    };
    let mut findings = Vec::new();
    let computed = root_of(&manifest.files);
    if computed != manifest.root {
        findings.push(Finding::RootMismatch {
            stated: manifest.root.clone(),
            computed,
        });
    }
    let listed: BTreeMap<&str, &FileEntry> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mut present = Vec::new();
    let mut files_checked = 0;
    let mut segment: Option<Vec<u8>> = None;
    let mut events: Option<Vec<u8>> = None;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                findings.push(Finding::Unreadable(e.to_string()));
                continue;
            }
        };
        let name = match entry.name() {
            Ok(n) => n.to_string(),
            Err(e) => {
                findings.push(Finding::Unreadable(format!("entry {i}: {e}")));
                continue;
            }
        };
        if name == MANIFEST || entry.is_dir() {
            continue;
        }
        present.push(name.clone());
        let Some(expected) = listed.get(name.as_str()) else {
            findings.push(Finding::Added(name));
            continue;
        };
        // The audit segment is read whole to check its chain; every other
        // file is hashed as it streams by.
        let keep = name == AUDIT_EVENTS || name == AUDIT_SEGMENT;
        let mut kept = Vec::new();
        let mut hash = Sha256::new();
        let mut size = 0u64;
        let mut buf = [0u8; 64 * 1024];
        let read = loop {
            match entry.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    hash.update(&buf[..n]);
                    size += n as u64;
                    if keep {
                        kept.extend_from_slice(&buf[..n]);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        files_checked += 1;
        if read.is_err() || size != expected.size || hex::encode(hash.finalize()) != expected.sha256
        {
            findings.push(Finding::Changed(name.clone()));
        }
        if name == AUDIT_EVENTS {
            events = Some(kept);
        } else if name == AUDIT_SEGMENT {
            segment = Some(kept);
        }
    }
    for f in &manifest.files {
        if !present.contains(&f.path) {
            findings.push(Finding::Removed(f.path.clone()));
        }
    }
    let events_checked = match (segment, events) {
        (Some(segment), Some(events)) => check_chain(&segment, &events, &mut findings),
        (None, None) => 0,
        _ => {
            findings.push(Finding::AuditChain(
                0,
                format!("{AUDIT_EVENTS} and {AUDIT_SEGMENT} come together"),
            ));
            0
        }
    };
    Verification {
        manifest: Some(manifest),
        files_checked,
        events_checked,
        findings,
    }
}

/// Recomputes the chain of the segment; returns how many events it checked.
fn check_chain(segment: &[u8], events: &[u8], findings: &mut Vec<Finding>) -> usize {
    let segment: AuditSegment = match serde_json::from_slice(segment) {
        Ok(s) => s,
        Err(e) => {
            findings.push(Finding::AuditChain(0, format!("{AUDIT_SEGMENT}: {e}")));
            return 0;
        }
    };
    let mut prev = segment.prev_hash.clone();
    let mut expected_seq = segment.first_seq;
    let mut checked = 0;
    for line in events.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let e: AuditEvent = match serde_json::from_slice(line) {
            Ok(e) => e,
            Err(err) => {
                findings.push(Finding::AuditChain(
                    expected_seq,
                    format!("unreadable: {err}"),
                ));
                return checked;
            }
        };
        if e.seq != expected_seq {
            findings.push(Finding::AuditChain(
                e.seq,
                format!("expected event {expected_seq} here: events are missing or out of order"),
            ));
            return checked;
        }
        if e.prev_hash != prev {
            findings.push(Finding::AuditChain(
                e.seq,
                "does not link to the event before".into(),
            ));
        }
        if event_hash(&e, &e.prev_hash) != e.hash {
            findings.push(Finding::AuditChain(
                e.seq,
                "its content does not match its hash".into(),
            ));
        }
        prev = e.hash.clone();
        expected_seq += 1;
        checked += 1;
    }
    let last = if checked == 0 { 0 } else { expected_seq - 1 };
    if last != segment.last_seq {
        findings.push(Finding::AuditChain(
            last,
            format!(
                "the segment ends at event {} but the events end at {last}",
                segment.last_seq
            ),
        ));
    }
    checked
}
