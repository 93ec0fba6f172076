//! `laatu verify` on a real bundle: intact, it exits 0; one byte changed,
//! a file added or removed, the manifest edited, an audit event altered
//! (with the manifest made to match), or not a zip at all, it exits 1 and
//! names what changed. It needs neither the server nor the database.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use laatu::evidence::bundle::{Bundle, ExportInfo, Manifest, root_of};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Backend, spawn_app};

type Files = Vec<(String, Vec<u8>)>;

fn read_zip(path: &Path) -> Files {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn write_zip(path: &Path, files: &Files) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn verify(path: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_laatu"))
        .arg("verify")
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    match out.status.code() {
        Some(0) => (true, text),
        Some(1) => (false, text),
        other => panic!("laatu verify exited {other:?}: {text}"),
    }
}

fn manifest_of(files: &Files) -> Manifest {
    let (_, bytes) = files.iter().find(|(n, _)| n == "manifest.json").unwrap();
    serde_json::from_slice(bytes).unwrap()
}

fn put_manifest(files: &mut Files, m: &Manifest) {
    let bytes = serde_json::to_vec_pretty(m).unwrap();
    for f in files.iter_mut() {
        if f.0 == "manifest.json" {
            f.1 = bytes.clone();
        }
    }
}

/// Changes a file and makes the manifest agree, root and all: only the
/// audit chain can tell.
fn forge(files: &mut Files, name: &str, bytes: Vec<u8>) {
    let mut m = manifest_of(files);
    for f in files.iter_mut() {
        if f.0 == name {
            f.1 = bytes.clone();
        }
    }
    for e in &mut m.files {
        if e.path == name {
            e.size = bytes.len() as u64;
            e.sha256 = hex::encode(Sha256::digest(&bytes));
        }
    }
    m.root = root_of(&m.files);
    put_manifest(files, &m);
}

async fn bundle_of_a_real_trail(dir: &Path) -> PathBuf {
    let app = spawn_app(Backend::Sqlite).await;
    for name in ["ann", "bea", "cid"] {
        app.user_with_roles(name, &["staff"]).await;
    }
    let events: Vec<laatu::audit::AuditEvent> = app
        .audit_events("")
        .await
        .into_iter()
        .map(|v: Value| serde_json::from_value(v).unwrap())
        .collect();
    assert!(events.len() >= 4, "{}", events.len());
    // A segment from the second event on: the hash before it links it.
    let prev = events[0].hash.clone();
    let segment = events[1..].to_vec();
    let path = dir.join("evidence.zip");
    let file = std::fs::File::create(&path).unwrap();
    let mut bundle = Bundle::new(std::io::BufWriter::new(file));
    bundle
        .add("index.html", b"<!doctype html><title>Evidence</title>")
        .unwrap();
    bundle
        .add(
            "documents/QP-001/r1.md",
            b"# Document control\n\nRevision 1.\n",
        )
        .unwrap();
    let big: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8).collect();
    bundle.add_from("records/big.csv", &mut &big[..]).unwrap();
    bundle.add_audit_segment(&segment, &prev).unwrap();
    let manifest = bundle
        .finish(ExportInfo {
            parameters: json!({ "as_of": "2026-06-30" }),
            exported_by: "laura".into(),
            exported_at: "2026-07-01T08:00:00.000000Z".into(),
            software_version: env!("CARGO_PKG_VERSION").into(),
        })
        .unwrap();
    assert_eq!(manifest.files.len(), 5);
    assert_eq!(
        manifest
            .files
            .iter()
            .find(|f| f.path == "records/big.csv")
            .unwrap()
            .size,
        2_000_000
    );
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_every_change_to_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let good = bundle_of_a_real_trail(dir.path()).await;
    let (ok, out) = verify(&good);
    assert!(ok, "{out}");
    assert!(out.contains("5 files checked"), "{out}");
    assert!(
        !out.contains(" 0 audit events"),
        "the chain was recomputed: {out}"
    );
    assert!(out.contains("OK: the bundle is intact"), "{out}");
    let files = read_zip(&good);
    let tampered = dir.path().join("tampered.zip");

    // One byte of one file.
    let mut f = files.clone();
    f.iter_mut()
        .find(|(n, _)| n == "documents/QP-001/r1.md")
        .unwrap()
        .1[2] ^= 1;
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(
        !ok && out.contains("changed: documents/QP-001/r1.md"),
        "{out}"
    );
    assert_eq!(out.matches("FAIL").count(), 1, "only that file: {out}");

    // A file added.
    let mut f = files.clone();
    f.push(("extra/notes.txt".into(), b"slipped in".to_vec()));
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(!ok && out.contains("added: extra/notes.txt"), "{out}");

    // A file removed.
    let f: Files = files
        .iter()
        .filter(|(n, _)| n != "index.html")
        .cloned()
        .collect();
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(!ok && out.contains("removed: index.html"), "{out}");

    // The manifest edited to accept a changed file, without its root.
    let mut f = files.clone();
    let mut m = manifest_of(&f);
    let doc = f
        .iter_mut()
        .find(|(n, _)| n == "documents/QP-001/r1.md")
        .unwrap();
    doc.1 = b"# Document control\n\nRevision 1, improved.\n".to_vec();
    let entry = m
        .files
        .iter_mut()
        .find(|e| e.path == "documents/QP-001/r1.md")
        .unwrap();
    entry.sha256 = hex::encode(Sha256::digest(&doc.1));
    entry.size = doc.1.len() as u64;
    put_manifest(&mut f, &m);
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(!ok && out.contains("manifest edited"), "{out}");

    // An audit event altered, with manifest and root made to agree: the
    // chain still tells.
    let mut f = files.clone();
    let lines = String::from_utf8(
        f.iter()
            .find(|(n, _)| n == "audit/events.jsonl")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let mut events: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seq = events[1]["seq"].as_i64().unwrap();
    events[1]["summary"] = json!("nothing happened here");
    let forged: String = events.iter().map(|e| format!("{e}\n")).collect();
    forge(&mut f, "audit/events.jsonl", forged.into_bytes());
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(
        !ok && out.contains(&format!(
            "audit trail: event {seq}: its content does not match its hash"
        )),
        "{out}"
    );
    assert!(
        !out.contains("changed:"),
        "the files agree with the manifest: {out}"
    );

    // An event dropped from the middle of the segment.
    let mut f = files.clone();
    let dropped: String = lines
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    forge(&mut f, "audit/events.jsonl", dropped.into_bytes());
    write_zip(&tampered, &f);
    let (ok, out) = verify(&tampered);
    assert!(!ok && out.contains("events are missing"), "{out}");

    // Not a zip at all.
    std::fs::write(&tampered, b"PK not really").unwrap();
    let (ok, out) = verify(&tampered);
    assert!(!ok && out.contains("unreadable"), "{out}");
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_repository_bundle_verifies_and_clones_with_git() {
    let app = crate::helpers::spawn_demo_app(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("documents.bundle");
    let store = app.state.store.clone();
    let out = path.clone();
    let refs = tokio::task::spawn_blocking(move || {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
        let n = store.write_bundle(&mut file).unwrap();
        file.flush().unwrap();
        n
    })
    .await
    .unwrap();
    let repo = app.data_dir.join("documents.git");
    let listed = git(&repo, &["for-each-ref", "--format=%(refname)"]);
    assert_eq!(refs, listed.lines().count(), "every ref is in the bundle");
    assert!(refs > 10, "the demo's main, tags and drafts: {refs}");
    // `git bundle verify` runs in a repository; an empty one has none of
    // the bundle's objects, so the bundle must be complete on its own.
    let scratch = dir.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    git(&scratch, &["init", "-q"]);
    let verified = Command::new("git")
        .current_dir(&scratch)
        .args(["bundle", "verify", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    git(
        dir.path(),
        &["clone", "-q", path.to_str().unwrap(), "clone"],
    );
    let clone = dir.path().join("clone");
    let head = git(&clone, &["rev-parse", "HEAD"]);
    let main = git(&repo, &["rev-parse", "refs/heads/main"]);
    assert_eq!(head, main, "the clone checks out the main tree");
    let files = git(&clone, &["ls-files"]);
    assert!(files.lines().any(|f| f.contains("QP-001")), "{files}");
    let tags = git(&clone, &["tag", "--list"]);
    assert!(!tags.trim().is_empty(), "revision tags come along");
}
