//! Writing an evidence bundle: a zip stream with a manifest.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::{AUDIT_EVENTS, AUDIT_SEGMENT, FORMAT, MANIFEST};
use crate::audit::AuditEvent;
use crate::error::{AppError, AppResult};

/// One file of a bundle as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The path inside the bundle (`documents/QP-001/r2.md`).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, in hex.
    pub sha256: String,
}

/// Who made the export, when, with what, and asking for what.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportInfo {
    /// The parameters of the export as given (`as_of`, `from`, `to`,
    /// `clauses`, `processes`).
    pub parameters: serde_json::Value,
    /// The username of who exported it.
    pub exported_by: String,
    /// When (RFC 3339, UTC).
    pub exported_at: String,
    /// The version of Laatu that wrote it.
    pub software_version: String,
}

/// `manifest.json`: every other file of the bundle, and the root hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The export's parameters and origin.
    #[serde(flatten)]
    pub info: ExportInfo,
    /// Every file but the manifest, by path.
    pub files: Vec<FileEntry>,
    /// [`root_of`] the files: what an export's audit event records.
    pub root: String,
}

/// The audit-trail segment's bounds (`audit/segment.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSegment {
    /// The sequence number of the first event (0 when there are none).
    pub first_seq: i64,
    /// The sequence number of the last event (0 when there are none).
    pub last_seq: i64,
    /// The hash of the event before the first one (64 zeros at the start
    /// of the trail): the link to the part of the chain not in the bundle.
    pub prev_hash: String,
}

/// The root hash of a file list: SHA-256 over one line per file, sorted by
/// path, `"<sha256> <size> <path>\n"`.
pub fn root_of(files: &[FileEntry]) -> String {
    let mut sorted: Vec<&FileEntry> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Sha256::new();
    for f in sorted {
        h.update(format!("{} {} {}\n", f.sha256, f.size, f.path).as_bytes());
    }
    hex::encode(h.finalize())
}

/// Whether `path` may name a file of a bundle: relative, `/`-separated,
/// no empty, `.` or `..` parts, no backslash or control character, not
/// the manifest.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 300
        && path != MANIFEST
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

fn zip_error(e: zip::result::ZipError) -> AppError {
    AppError::internal(anyhow::anyhow!("writing the bundle: {e}"))
}

fn io_error(e: std::io::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("writing the bundle: {e}"))
}

/// A bundle being written to `W` as a zip stream (no seeking, so `W` can
/// be a channel to an HTTP response).
pub struct Bundle<W: Write> {
    zip: ZipWriter<StreamWriter<W>>,
    files: Vec<FileEntry>,
}

/// Passes bytes on to the zip entry and hashes and counts them on the way.
struct Hashing<'a, W: Write> {
    inner: &'a mut ZipWriter<StreamWriter<W>>,
    hash: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Bundle<W> {
    /// Starts a bundle on `out`.
    pub fn new(out: W) -> Self {
        Bundle {
            zip: ZipWriter::new_stream(out),
            files: Vec::new(),
        }
    }

    /// The files added so far.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// Adds a file from memory.
    ///
    /// # Errors
    /// `internal` for a path that is not [`safe_path`] or is taken (a
    /// programming error), or when the output fails.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> AppResult<()> {
        self.add_from(path, &mut &bytes[..])
    }

    /// Adds a file, copying it from `reader` without holding it in memory.
    ///
    /// # Errors
    /// As [`Bundle::add`], and when `reader` fails.
    pub fn add_from(&mut self, path: &str, reader: &mut dyn Read) -> AppResult<()> {
        self.add_with(path, &mut |w| {
            std::io::copy(reader, w).map_err(io_error)?;
            Ok(())
        })
    }

    /// Adds a file written by `write` as it goes (a CSV row by row), so
    /// that it is never held in memory whole.
    ///
    /// # Errors
    /// As [`Bundle::add`], and whatever `write` answers.
    pub fn add_with(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> AppResult<()>,
    ) -> AppResult<()> {
        if !safe_path(path) || self.files.iter().any(|f| f.path == path) {
            return Err(AppError::internal(anyhow::anyhow!(
                "bundle path `{path}` is not allowed or taken"
            )));
        }
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(true);
        self.zip.start_file(path, options).map_err(zip_error)?;
        let mut sink = Hashing {
            inner: &mut self.zip,
            hash: Sha256::new(),
            size: 0,
        };
        write(&mut sink)?;
        let (hash, size) = (sink.hash, sink.size);
        self.files.push(FileEntry {
            path: path.to_string(),
            size,
            sha256: hex::encode(hash.finalize()),
        });
        Ok(())
    }

    /// Adds the audit-trail segment: `events` (consecutive, oldest first)
    /// one per line, and its bounds with the hash before the first.
    ///
    /// # Errors
    /// As [`Bundle::add`].
    pub fn add_audit_segment(&mut self, events: &[AuditEvent], prev_hash: &str) -> AppResult<()> {
        let mut lines = Vec::new();
        for e in events {
            serde_json::to_writer(&mut lines, e)
                .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            lines.push(b'\n');
        }
        self.add(AUDIT_EVENTS, &lines)?;
        let segment = AuditSegment {
            first_seq: events.first().map_or(0, |e| e.seq),
            last_seq: events.last().map_or(0, |e| e.seq),
            prev_hash: prev_hash.to_string(),
        };
        let json = serde_json::to_vec_pretty(&segment)
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
        self.add(AUDIT_SEGMENT, &json)
    }

    /// Adds the audit-trail segment a page at a time, so that a long
    /// trail is never held whole: `next_page(after)` answers the events
    /// after sequence number `after` (`None` for the first page), oldest
    /// first, and an empty page when there are no more; `prev_hash` is the
    /// hash of the event before the first.
    ///
    /// # Errors
    /// As [`Bundle::add`], and whatever `next_page` answers.
    pub fn add_audit_segment_paged(
        &mut self,
        prev_hash: &str,
        next_page: &mut dyn FnMut(Option<i64>) -> AppResult<Vec<AuditEvent>>,
    ) -> AppResult<AuditSegment> {
        let (mut first, mut last) = (0, 0);
        self.add_with(AUDIT_EVENTS, &mut |w| {
            let mut after = None;
            loop {
                let page = next_page(after)?;
                let Some(end) = page.last() else { break };
                after = Some(end.seq);
                for e in &page {
                    if first == 0 {
                        first = e.seq;
                    }
                    last = e.seq;
                    serde_json::to_writer(&mut *w, e)
                        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
                    w.write_all(b"\n").map_err(io_error)?;
                }
            }
            Ok(())
        })?;
        let segment = AuditSegment {
            first_seq: first,
            last_seq: last,
            prev_hash: prev_hash.to_string(),
        };
        let json = serde_json::to_vec_pretty(&segment)
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
        self.add(AUDIT_SEGMENT, &json)?;
        Ok(segment)
    }

    /// Writes `manifest.json` last and ends the zip; returns the manifest
    /// (its `root` is what the export's audit event records).
    ///
    /// # Errors
    /// When the output fails.
    pub fn finish(mut self, info: ExportInfo) -> AppResult<Manifest> {
        let manifest = Manifest {
            format: FORMAT.to_string(),
            info,
            root: root_of(&self.files),
            files: std::mem::take(&mut self.files),
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
        self.zip
            .start_file(MANIFEST, SimpleFileOptions::default())
            .map_err(zip_error)?;
        self.zip.write_all(&json).map_err(io_error)?;
        self.zip.finish().map_err(zip_error)?;
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_bundle() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a\\b",
            "./a",
            "manifest.json",
            "a\u{7}",
        ] {
            assert!(!safe_path(bad), "{bad:?}");
        }
        for good in ["index.html", "documents/QP-001/r2.md", "audit/events.jsonl"] {
            assert!(safe_path(good), "{good}");
        }
    }

    #[test]
    fn the_root_does_not_depend_on_the_order_files_were_added() {
        let a = FileEntry {
            path: "a".into(),
            size: 1,
            sha256: "00".into(),
        };
        let b = FileEntry {
            path: "b".into(),
            size: 2,
            sha256: "11".into(),
        };
        assert_eq!(
            root_of(&[a.clone(), b.clone()]),
            root_of(&[b.clone(), a.clone()])
        );
        let b2 = FileEntry {
            size: 3,
            ..b.clone()
        };
        assert_ne!(root_of(&[a.clone(), b]), root_of(&[a, b2]));
    }
}
