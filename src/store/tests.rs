use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use super::*;

fn store() -> (tempfile::TempDir, DocStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = DocStore::open_or_init(&dir.path().join("documents.git"), false).unwrap();
    (dir, store)
}

fn person(name: &str, minute: u32) -> GitPerson {
    GitPerson {
        name: name.to_string(),
        email: format!("{}@example.com", name.to_lowercase()),
        time: NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(12, minute, 0)
            .unwrap(),
    }
}

fn text(markdown: &str) -> DocContent {
    DocContent {
        markdown: markdown.to_string(),
        attachments: Vec::new(),
    }
}

fn attachment(name: &str, bytes: &[u8]) -> Attachment {
    Attachment {
        name: name.to_string(),
        bytes: bytes.to_vec(),
    }
}

fn store_error(e: &anyhow::Error) -> &StoreError {
    e.downcast_ref::<StoreError>()
        .unwrap_or_else(|| panic!("not a StoreError: {e:#}"))
}

fn parents(store: &DocStore, commit: &str) -> Vec<String> {
    let repo = store.open().unwrap();
    let c = repo
        .find_commit(git2::Oid::from_str(commit).unwrap())
        .unwrap();
    c.parent_ids().map(|p| p.to_string()).collect()
}

fn git(args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn draft_commits_chain_with_parents() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let first = store
        .write_draft_commit("QP-001", None, &text("# One\n"), &anna, "first")
        .unwrap();
    let second = store
        .write_draft_commit("QP-001", Some(&first), &text("# Two\n"), &anna, "second")
        .unwrap();
    assert_ne!(first, second);
    assert!(parents(&store, &first).is_empty());
    assert_eq!(parents(&store, &second), vec![first.clone()]);
    // Objects only: no ref moved.
    assert_eq!(store.draft_ref("QP-001").unwrap(), None);
    assert_eq!(store.main_tip().unwrap(), None);

    let repo = store.open().unwrap();
    let c = repo
        .find_commit(git2::Oid::from_str(&second).unwrap())
        .unwrap();
    assert_eq!(c.author().name(), Some("Anna"));
    assert_eq!(c.committer().email(), Some("anna@example.com"));
    assert_eq!(c.author().when().seconds(), anna.time.and_utc().timestamp());
    assert_eq!(c.author().when().offset_minutes(), 0);
    assert_eq!(c.message(), Some("second\n"));
    let names: Vec<String> = c
        .tree()
        .unwrap()
        .iter()
        .map(|e| e.name().unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["QP-001.md"]);
}

#[test]
fn content_and_binary_attachments_round_trip() {
    let (_dir, store) = store();
    let binary: Vec<u8> = (0..=255u8).chain([0, 0, 0xff]).collect();
    let content = DocContent {
        markdown: "# Käsikirja\n\nÄö ✓\n".to_string(),
        attachments: vec![
            attachment("lomake.pdf", &binary),
            attachment("empty.txt", b""),
            attachment("kuva ö.png", b"\x89PNG\r\n\x1a\n"),
        ],
    };
    let c = store
        .write_draft_commit("QP-001", None, &content, &person("Anna", 0), "save")
        .unwrap();
    let (markdown, files) = store.read_content("QP-001", &c).unwrap();
    assert_eq!(markdown, content.markdown);
    assert_eq!(
        files,
        vec![
            ("empty.txt".to_string(), 0),
            ("kuva ö.png".to_string(), 8),
            ("lomake.pdf".to_string(), binary.len() as u64),
        ]
    );
    assert_eq!(
        store.read_attachment("QP-001", &c, "lomake.pdf").unwrap(),
        Some(binary.clone())
    );
    assert_eq!(
        store.read_attachment("QP-001", &c, "empty.txt").unwrap(),
        Some(Vec::new())
    );
    assert_eq!(
        store.read_attachment("QP-001", &c, "missing.pdf").unwrap(),
        None
    );
    let all = store.read_attachments("QP-001", &c).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2], attachment("lomake.pdf", &binary));

    // No attachments: no `<NUMBER>/` tree at all.
    let plain = store
        .write_draft_commit("QP-002", None, &text("x"), &person("Anna", 0), "save")
        .unwrap();
    assert_eq!(store.read_content("QP-002", &plain).unwrap().1, vec![]);
    assert_eq!(
        store.read_attachment("QP-002", &plain, "a.pdf").unwrap(),
        None
    );
    assert!(store.read_attachments("QP-002", &plain).unwrap().is_empty());
}

#[test]
fn attachment_names_are_checked() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let base = store
        .write_draft_commit("QP-001", None, &text("x"), &anna, "save")
        .unwrap();
    let long = "a".repeat(201);
    for bad in [
        "../x", "a/b", ".git", "", "..", "a\\b", ".hidden", "a\nb", "a\0b", &long,
    ] {
        let content = DocContent {
            markdown: "x".into(),
            attachments: vec![attachment(bad, b"1")],
        };
        let e = store
            .write_draft_commit("QP-001", None, &content, &anna, "save")
            .unwrap_err();
        assert!(
            matches!(store_error(&e), StoreError::BadAttachmentName { .. }),
            "{bad:?}: {e:#}"
        );
        let e = store
            .write_commit_with_attachment("QP-001", &base, bad, b"1", &anna, "add")
            .unwrap_err();
        assert!(matches!(
            store_error(&e),
            StoreError::BadAttachmentName { .. }
        ));
        let e = store.read_attachment("QP-001", &base, bad).unwrap_err();
        assert!(matches!(
            store_error(&e),
            StoreError::BadAttachmentName { .. }
        ));
    }
    assert!(names::check_attachment_name(&"a".repeat(200)).is_ok());
    assert!(names::check_attachment_name("Lomake v1.2 (final).pdf").is_ok());

    let twice = DocContent {
        markdown: "x".into(),
        attachments: vec![attachment("a.pdf", b"1"), attachment("a.pdf", b"2")],
    };
    let e = store
        .write_draft_commit("QP-001", None, &twice, &anna, "save")
        .unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::DuplicateAttachment(_)
    ));
}

#[test]
fn bad_numbers_and_ids_are_rejected() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let good = store
        .write_draft_commit("QP-001", None, &text("x"), &anna, "save")
        .unwrap();
    for bad in [
        "",
        "qp-001",
        "QP001",
        "QP-",
        "-001",
        "QP-0000001",
        "ABCDEFGHIJK-1",
        "QP-1/../x",
        "../QP-1",
        "QP-1 ",
        "QP-1\n",
        "QP-1.md",
        "ÄP-1",
    ] {
        let e = store
            .write_draft_commit(bad, None, &text("x"), &anna, "save")
            .unwrap_err();
        assert!(
            matches!(store_error(&e), StoreError::BadNumber(_)),
            "{bad:?}"
        );
        assert!(store.set_draft_ref(bad, &good).is_err());
        assert!(store.draft_ref(bad).is_err());
        assert!(store.delete_draft_ref(bad).is_err());
        assert!(store.tag_target(bad, 1).is_err());
        assert!(store.read_content(bad, &good).is_err());
        let e = store
            .write_main_commit(&[(bad.to_string(), good.clone())], None, &anna, "m")
            .unwrap_err();
        assert!(
            matches!(store_error(&e), StoreError::BadNumber(_)),
            "{bad:?}"
        );
    }
    assert!(names::check_number("ABCDEFGHIJ-123456").is_ok());

    // A prefix of an id is not an id, even though git2 would pad it.
    let too_long = format!("{good}0");
    let not_hex = "g".repeat(40);
    for bad in [&good[..7], "", "zz", &too_long, &not_hex] {
        let e = store.read_content("QP-001", bad).unwrap_err();
        assert!(
            matches!(store_error(&e), StoreError::BadObjectId(_)),
            "{bad:?}"
        );
    }
    assert!(store.commit_exists(&good[..7]).is_err());
    assert!(store.commit_exists(&good).unwrap());
    assert!(!store.commit_exists(&"0".repeat(40)).unwrap());
    // A tree or blob id is not a commit.
    let tree = store
        .doc_entries("QP-001", &good)
        .unwrap()
        .unwrap()
        .markdown;
    assert!(!store.commit_exists(&tree).unwrap());

    // One document's commit cannot stand for another.
    let e = store.set_draft_ref("QP-002", &good).unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::NotThisDocument { .. }
    ));
    let e = store
        .write_draft_commit("QP-002", Some(&good), &text("x"), &anna, "save")
        .unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::NotThisDocument { .. }
    ));
    assert!(store.read_content("QP-002", &good).is_err());
    assert!(
        store
            .write_tag_object("QP-001", 0, &good, &anna, "t")
            .is_err()
    );
}

#[test]
fn draft_ref_moves_and_goes() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let a = store
        .write_draft_commit("QP-001", None, &text("a"), &anna, "a")
        .unwrap();
    let b = store
        .write_draft_commit("QP-001", Some(&a), &text("b"), &anna, "b")
        .unwrap();
    assert_eq!(store.draft_ref("QP-001").unwrap(), None);
    store.delete_draft_ref("QP-001").unwrap();
    store.set_draft_ref("QP-001", &a).unwrap();
    assert_eq!(store.draft_ref("QP-001").unwrap(), Some(a.clone()));
    store.set_draft_ref("QP-001", &b).unwrap();
    assert_eq!(store.draft_ref("QP-001").unwrap(), Some(b.clone()));
    let repo = store.open().unwrap();
    let log = repo.reflog("refs/drafts/QP-001").unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log.get(0).unwrap().message(),
        Some("laatu: draft of QP-001 saved")
    );
    store.delete_draft_ref("QP-001").unwrap();
    assert_eq!(store.draft_ref("QP-001").unwrap(), None);
    store.delete_draft_ref("QP-001").unwrap();
}

#[test]
fn attachments_kept_added_and_removed() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let v1 = store
        .write_draft_commit(
            "WI-7",
            None,
            &DocContent {
                markdown: "one".into(),
                attachments: vec![attachment("a.pdf", b"A")],
            },
            &anna,
            "v1",
        )
        .unwrap();
    let v2 = store
        .write_markdown_commit("WI-7", Some(&v1), "two", &anna, "v2")
        .unwrap();
    assert_eq!(parents(&store, &v2), vec![v1.clone()]);
    let (md, files) = store.read_content("WI-7", &v2).unwrap();
    assert_eq!(md, "two");
    assert_eq!(files, vec![("a.pdf".to_string(), 1)]);

    let v3 = store
        .write_commit_with_attachment("WI-7", &v2, "b.xlsx", b"BB", &anna, "add b")
        .unwrap();
    let v4 = store
        .write_commit_with_attachment("WI-7", &v3, "a.pdf", b"AAA", &anna, "replace a")
        .unwrap();
    assert_eq!(parents(&store, &v4), vec![v3.clone()]);
    let (md, files) = store.read_content("WI-7", &v4).unwrap();
    assert_eq!(md, "two");
    assert_eq!(
        files,
        vec![("a.pdf".to_string(), 3), ("b.xlsx".to_string(), 2)]
    );

    let v5 = store
        .remove_attachment_commit("WI-7", &v4, "a.pdf", &anna, "drop a")
        .unwrap();
    assert_eq!(
        store.read_content("WI-7", &v5).unwrap().1,
        vec![("b.xlsx".to_string(), 2)]
    );
    let v6 = store
        .remove_attachment_commit("WI-7", &v5, "b.xlsx", &anna, "drop b")
        .unwrap();
    assert_eq!(
        store.read_content("WI-7", &v6).unwrap(),
        ("two".into(), vec![])
    );
    assert_eq!(
        store.doc_entries("WI-7", &v6).unwrap().unwrap().attachments,
        None,
        "the empty folder goes with its last file"
    );
    let e = store
        .remove_attachment_commit("WI-7", &v6, "b.xlsx", &anna, "again")
        .unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::NoSuchAttachment { .. }
    ));

    // A first save through write_markdown_commit has no attachments.
    let first = store
        .write_markdown_commit("WI-8", None, "new", &anna, "first")
        .unwrap();
    assert!(parents(&store, &first).is_empty());
    assert_eq!(
        store.read_content("WI-8", &first).unwrap(),
        ("new".into(), vec![])
    );
}

#[test]
fn revision_tags_peel_and_repeat() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let boss = person("Pekka Pomo", 5);
    let c1 = store
        .write_draft_commit("QP-001", None, &text("r1"), &anna, "r1")
        .unwrap();
    let c2 = store
        .write_draft_commit("QP-001", Some(&c1), &text("r2"), &anna, "r2")
        .unwrap();
    assert_eq!(store.tag_target("QP-001", 1).unwrap(), None);

    let tag = store
        .write_tag_object("QP-001", 1, &c1, &boss, "QP-001 revision 1 approved")
        .unwrap();
    // The object alone moves no ref.
    assert_eq!(store.tag_target("QP-001", 1).unwrap(), None);
    store.set_tag_ref("QP-001", 1, &tag).unwrap();
    assert_eq!(store.tag_target("QP-001", 1).unwrap(), Some(c1.clone()));
    let repo = store.open().unwrap();
    let t = repo.find_tag(git2::Oid::from_str(&tag).unwrap()).unwrap();
    assert_eq!(t.name(), Some("QP-001/r1"));
    assert_eq!(t.tagger().unwrap().name(), Some("Pekka Pomo"));
    assert_eq!(
        repo.find_reference("refs/tags/QP-001/r1").unwrap().target(),
        Some(t.id())
    );

    // Repair: the same again changes nothing.
    store.set_tag_ref("QP-001", 1, &tag).unwrap();
    let again = store
        .write_tag_object("QP-001", 1, &c1, &boss, "QP-001 revision 1 approved")
        .unwrap();
    assert_eq!(again, tag);
    assert_eq!(
        store
            .tag_revision("QP-001", 1, &c1, &person("Other", 9), "other text", false)
            .unwrap(),
        tag,
        "an existing tag of the same commit is kept"
    );

    // Another commit under the same revision is refused unless forced.
    let wrong = store
        .write_tag_object("QP-001", 1, &c2, &boss, "wrong")
        .unwrap();
    let e = store.set_tag_ref("QP-001", 1, &wrong).unwrap_err();
    assert!(matches!(store_error(&e), StoreError::TagElsewhere { .. }));
    assert!(
        store
            .tag_revision("QP-001", 1, &c2, &boss, "wrong", false)
            .is_err()
    );
    assert_eq!(store.tag_target("QP-001", 1).unwrap(), Some(c1.clone()));
    // A tag object of another revision cannot be filed as this one.
    let e = store.set_tag_ref("QP-001", 2, &tag).unwrap_err();
    assert!(matches!(store_error(&e), StoreError::NotThisTag { .. }));
    // Nor can a commit id.
    let e = store.set_tag_ref("QP-001", 2, &c2).unwrap_err();
    assert!(matches!(store_error(&e), StoreError::NotThisTag { .. }));

    store.replace_tag_ref("QP-001", 1, &wrong).unwrap();
    assert_eq!(store.tag_target("QP-001", 1).unwrap(), Some(c2.clone()));

    let t2 = store
        .tag_revision("QP-001", 2, &c2, &boss, "r2 approved", false)
        .unwrap();
    assert_eq!(store.tag_target("QP-001", 2).unwrap(), Some(c2.clone()));
    assert_eq!(
        store
            .tag_revision("QP-001", 2, &c2, &boss, "r2 approved", false)
            .unwrap(),
        t2
    );
}

#[test]
fn main_holds_exactly_the_effective_set() {
    let (_dir, store) = store();
    let anna = person("Anna", 0);
    let qp1 = store
        .write_draft_commit(
            "QP-001",
            None,
            &DocContent {
                markdown: "quality policy".into(),
                attachments: vec![attachment("sig.png", b"png")],
            },
            &anna,
            "qp1",
        )
        .unwrap();
    let qp2 = store
        .write_draft_commit("QP-002", None, &text("procedure"), &anna, "qp2")
        .unwrap();
    let wi = store
        .write_draft_commit("WI-10", None, &text("not effective"), &anna, "wi")
        .unwrap();
    assert_eq!(store.main_documents().unwrap(), vec![]);

    let m1 = store
        .write_main_commit(
            &[
                ("QP-002".into(), qp2.clone()),
                ("QP-001".into(), qp1.clone()),
            ],
            None,
            &anna,
            "QP-001 r1, QP-002 r1 effective",
        )
        .unwrap();
    assert_eq!(store.main_tip().unwrap(), None, "no ref moved yet");
    store.set_main_ref(&m1).unwrap();
    assert_eq!(store.main_tip().unwrap(), Some(m1.clone()));

    let repo = store.open().unwrap();
    let tree = repo
        .find_commit(git2::Oid::from_str(&m1).unwrap())
        .unwrap()
        .tree()
        .unwrap();
    let mut paths = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
        if e.kind() == Some(git2::ObjectType::Blob) {
            paths.push(format!("{dir}{}", e.name().unwrap()));
        }
        git2::TreeWalkResult::Ok
    })
    .unwrap();
    paths.sort();
    assert_eq!(paths, vec!["QP-001.md", "QP-001/sig.png", "QP-002.md"]);

    // Entries are shared by id with the revisions' commits.
    for (n, c) in [("QP-001", &qp1), ("QP-002", &qp2)] {
        assert_eq!(
            store.doc_entries(n, &m1).unwrap(),
            store.doc_entries(n, c).unwrap()
        );
    }
    assert_eq!(store.doc_entries("WI-10", &m1).unwrap(), None);
    let docs = store.main_documents().unwrap();
    assert_eq!(
        docs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        vec!["QP-001", "QP-002"]
    );
    assert_eq!(
        docs[0].1,
        store.doc_entries("QP-001", &qp1).unwrap().unwrap().markdown
    );

    // QP-002 withdrawn, WI-10 effective.
    let m2 = store
        .write_main_commit(
            &[("QP-001".into(), qp1.clone()), ("WI-10".into(), wi.clone())],
            Some(&m1),
            &person("Pekka", 3),
            "QP-002 obsolete; WI-10 r1 effective",
        )
        .unwrap();
    assert_eq!(parents(&store, &m2), vec![m1.clone()]);
    store.set_main_ref(&m2).unwrap();
    assert_eq!(
        store
            .main_documents()
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        vec!["QP-001", "WI-10"]
    );
    assert_eq!(repo.reflog("refs/heads/main").unwrap().len(), 2);

    let e = store
        .write_main_commit(
            &[
                ("QP-001".into(), qp1.clone()),
                ("QP-001".into(), qp1.clone()),
            ],
            None,
            &anna,
            "twice",
        )
        .unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::DuplicateDocument { .. }
    ));
    let e = store
        .write_main_commit(&[("QP-002".into(), qp1.clone())], None, &anna, "x")
        .unwrap_err();
    assert!(matches!(
        store_error(&e),
        StoreError::NotThisDocument { .. }
    ));

    // An empty effective set is an empty tree, not an error.
    let m3 = store
        .write_main_commit(&[], Some(&m2), &anna, "none")
        .unwrap();
    assert_eq!(parents(&store, &m3), vec![m2]);
}

#[test]
fn awkward_names_still_sign() {
    let (_dir, store) = store();
    let odd = GitPerson {
        name: "Eve <admin>\nX".into(),
        email: "eve@example.com>".into(),
        time: person("x", 0).time,
    };
    let c = store
        .write_draft_commit("QP-001", None, &text("x"), &odd, "m")
        .unwrap();
    let repo = store.open().unwrap();
    let commit = repo.find_commit(git2::Oid::from_str(&c).unwrap()).unwrap();
    assert_eq!(commit.author().name(), Some("Eve  admin  X"));
    let nobody = GitPerson {
        name: " ".into(),
        ..odd
    };
    assert!(
        store
            .write_draft_commit("QP-001", None, &text("x"), &nobody, "m")
            .is_err()
    );
}

#[test]
fn git_command_line_sees_the_controlled_set() {
    let (dir, store) = store();
    let anna = person("Anna Laatija", 0);
    let boss = person("Pekka Pomo", 5);
    let qp1 = store
        .write_draft_commit(
            "QP-001",
            None,
            &DocContent {
                markdown: "# Quality policy\n".into(),
                attachments: vec![attachment("form.pdf", b"%PDF-1.4\n\0\x01")],
            },
            &anna,
            "QP-001 r1 draft",
        )
        .unwrap();
    store.set_draft_ref("QP-001", &qp1).unwrap();
    store
        .tag_revision(
            "QP-001",
            1,
            &qp1,
            &boss,
            "QP-001 revision 1 approved",
            false,
        )
        .unwrap();
    let m1 = store
        .write_main_commit(
            &[("QP-001".into(), qp1.clone())],
            None,
            &boss,
            "QP-001 r1 effective",
        )
        .unwrap();
    store.set_main_ref(&m1).unwrap();
    let qp2 = store
        .write_draft_commit("QP-002", None, &text("# Procedure\n"), &anna, "QP-002 r1")
        .unwrap();
    let m2 = store
        .write_main_commit(
            &[("QP-001".into(), qp1), ("QP-002".into(), qp2)],
            Some(&m1),
            &anna,
            "QP-002 r1 effective",
        )
        .unwrap();
    store.set_main_ref(&m2).unwrap();

    let repo = store.path().to_str().unwrap();
    let git_dir = format!("--git-dir={repo}");
    assert_eq!(
        git(&[&git_dir, "log", "--format=%an", "main"]),
        "Anna Laatija\nPekka Pomo\n"
    );
    assert_eq!(git(&[&git_dir, "tag", "-l"]), "QP-001/r1\n");
    assert_eq!(
        git(&[
            &git_dir,
            "for-each-ref",
            "--format=%(taggername)",
            "refs/tags"
        ]),
        "Pekka Pomo\n"
    );
    assert_eq!(
        git(&[
            &git_dir,
            "for-each-ref",
            "--format=%(refname)",
            "refs/drafts"
        ]),
        "refs/drafts/QP-001\n"
    );
    git(&[&git_dir, "fsck", "--strict", "--no-dangling"]);

    let clone = dir.path().join("clone");
    git(&["clone", "--quiet", repo, clone.to_str().unwrap()]);
    let read = |p: &str| std::fs::read(clone.join(p)).unwrap();
    assert_eq!(read("QP-001.md"), b"# Quality policy\n");
    assert_eq!(read("QP-001/form.pdf"), b"%PDF-1.4\n\0\x01");
    assert_eq!(read("QP-002.md"), b"# Procedure\n");
    let mut top: Vec<String> = std::fs::read_dir(&clone)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != ".git")
        .collect();
    top.sort();
    assert_eq!(top, vec!["QP-001", "QP-001.md", "QP-002.md"]);
    assert!(Path::new(&clone.join(".git")).is_dir());
}

#[test]
fn a_forms_fields_travel_with_its_text_into_main() {
    let (_dir, store) = store();
    let first = store
        .write_form_commit(
            "FORM-001",
            None,
            "# Check",
            "{\"fields\":[]}\n",
            &person("Olga", 1),
            "fields",
        )
        .unwrap();
    assert_eq!(
        store.read_form("FORM-001", &first).unwrap().as_deref(),
        Some("{\"fields\":[]}\n")
    );
    // A save of the text alone keeps the fields.
    let second = store
        .write_markdown_commit(
            "FORM-001",
            Some(&first),
            "# Check v2",
            &person("Olga", 2),
            "text",
        )
        .unwrap();
    assert_eq!(
        store.read_form("FORM-001", &second).unwrap().as_deref(),
        Some("{\"fields\":[]}\n")
    );
    let plain = store
        .write_markdown_commit("QP-001", None, "# Plain", &person("Olga", 3), "text")
        .unwrap();
    assert_eq!(store.read_form("QP-001", &plain).unwrap(), None);
    let main = store
        .write_main_commit(
            &[
                ("FORM-001".to_string(), second.clone()),
                ("QP-001".to_string(), plain.clone()),
            ],
            None,
            &person("Quinn", 4),
            "effective",
        )
        .unwrap();
    let in_main = store.doc_entries("FORM-001", &main).unwrap().unwrap();
    assert_eq!(
        in_main,
        store.doc_entries("FORM-001", &second).unwrap().unwrap()
    );
    assert!(in_main.form.is_some());
    assert_eq!(
        store.doc_entries("QP-001", &main).unwrap().unwrap().form,
        None
    );
    // Only documents' Markdown counts as a document of main.
    store.set_main_ref(&main).unwrap();
    let docs: Vec<String> = store
        .main_documents()
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(docs, ["FORM-001", "QP-001"]);
}
