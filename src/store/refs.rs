//! Refs: draft tips, revision tags and the main tree of effective documents.

use std::collections::HashSet;

use anyhow::Context;
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository};

use super::content::{doc_commit, message_text, signature};
use super::names::{
    check_number, draft_ref_name, form_file, markdown_file, parse_oid, promise_file, tag_name,
    tag_ref_name,
};
use super::{DocStore, GitPerson, StoreError};

const MAIN_REF: &str = "refs/heads/main";

/// The ref's target, `None` when the ref does not exist.
fn ref_target(repo: &Repository, name: &str) -> anyhow::Result<Option<Oid>> {
    match repo.find_reference(name) {
        Ok(r) => Ok(r.target()),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("reading {name}"))),
    }
}

/// Force-moves a ref, keeping a reflog: a bare repository logs no ref
/// updates unless the log file exists.
fn move_ref(repo: &Repository, name: &str, to: Oid, log_message: &str) -> anyhow::Result<()> {
    repo.reference_ensure_log(name)
        .with_context(|| format!("reflog of {name}"))?;
    repo.reference(name, to, true, log_message)
        .with_context(|| format!("cannot move {name} to {to}"))?;
    Ok(())
}

/// The commit a tag object marks, checked to be the tag of this revision.
fn tag_commit(repo: &Repository, tag_oid: Oid, expected_name: &str) -> anyhow::Result<Oid> {
    let not_this = || StoreError::NotThisTag {
        id: tag_oid.to_string(),
        tag: expected_name.to_string(),
    };
    let tag = repo.find_tag(tag_oid).map_err(|_| not_this())?;
    if tag.name_bytes() != expected_name.as_bytes() || tag.target_type() != Some(ObjectType::Commit)
    {
        return Err(not_this().into());
    }
    Ok(tag.target_id())
}

impl DocStore {
    /// Creates or force-moves `refs/drafts/<NUMBER>` to `commit`.
    ///
    /// # Errors
    /// Bad number or id, a commit that does not hold this document.
    pub fn set_draft_ref(&self, number: &str, commit: &str) -> anyhow::Result<()> {
        check_number(number)?;
        let repo = self.open()?;
        let target = doc_commit(&repo, number, commit)?.id();
        move_ref(
            &repo,
            &draft_ref_name(number),
            target,
            &format!("laatu: draft of {number} saved"),
        )
    }

    /// Removes `refs/drafts/<NUMBER>`; nothing to do when it is absent.
    ///
    /// # Errors
    /// Bad number, git failures.
    pub fn delete_draft_ref(&self, number: &str) -> anyhow::Result<()> {
        check_number(number)?;
        let repo = self.open()?;
        let name = draft_ref_name(number);
        match repo.find_reference(&name) {
            Ok(mut r) => r.delete().with_context(|| format!("cannot delete {name}")),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
            Err(e) => Err(anyhow::Error::new(e).context(format!("reading {name}"))),
        }
    }

    /// The commit `refs/drafts/<NUMBER>` points at.
    ///
    /// # Errors
    /// Bad number, git failures.
    pub fn draft_ref(&self, number: &str) -> anyhow::Result<Option<String>> {
        check_number(number)?;
        let repo = self.open()?;
        Ok(ref_target(&repo, &draft_ref_name(number))?.map(|o| o.to_string()))
    }

    /// Writes the annotated tag object `<NUMBER>/r<n>` marking `commit`, with
    /// the approver as tagger; moves no ref. The same inputs give the same id.
    ///
    /// # Errors
    /// Bad number, revision or id; a commit that does not hold this document.
    pub fn write_tag_object(
        &self,
        number: &str,
        n: i32,
        commit: &str,
        tagger: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        let name = tag_name(number, n)?;
        let repo = self.open()?;
        let target = doc_commit(&repo, number, commit)?;
        let sig = signature(tagger)?;
        let id = repo
            .tag_annotation_create(&name, target.as_object(), &sig, &message_text(message))
            .with_context(|| format!("{number}: cannot write the tag {name}"))?;
        Ok(id.to_string())
    }

    /// Points `refs/tags/<NUMBER>/r<n>` at the tag object `tag_oid`. When the
    /// ref already marks the same commit this is done (a repair re-running
    /// it changes nothing).
    ///
    /// # Errors
    /// [`StoreError::TagElsewhere`] when the ref marks another commit;
    /// [`StoreError::NotThisTag`] when `tag_oid` is not this revision's tag.
    pub fn set_tag_ref(&self, number: &str, n: i32, tag_oid: &str) -> anyhow::Result<()> {
        self.put_tag_ref(number, n, tag_oid, false)
    }

    /// [`DocStore::set_tag_ref`] that replaces a tag marking another commit.
    /// Approved revisions do not move: this is for repairs a person decided.
    ///
    /// # Errors
    /// As [`DocStore::set_tag_ref`], except `TagElsewhere`.
    pub fn replace_tag_ref(&self, number: &str, n: i32, tag_oid: &str) -> anyhow::Result<()> {
        self.put_tag_ref(number, n, tag_oid, true)
    }

    fn put_tag_ref(&self, number: &str, n: i32, tag_oid: &str, force: bool) -> anyhow::Result<()> {
        check_number(number)?;
        let name = tag_name(number, n)?;
        let ref_name = tag_ref_name(number, n)?;
        let oid = parse_oid(tag_oid)?;
        let repo = self.open()?;
        let wanted = tag_commit(&repo, oid, &name)?;
        if let Some(existing) = peeled(&repo, &ref_name)? {
            if existing == wanted {
                return Ok(());
            }
            if !force {
                return Err(StoreError::TagElsewhere {
                    tag: name,
                    existing: existing.to_string(),
                    wanted: wanted.to_string(),
                }
                .into());
            }
        }
        repo.reference(&ref_name, oid, force, &format!("laatu: {name} approved"))
            .with_context(|| format!("{number}: cannot write {ref_name}"))?;
        Ok(())
    }

    /// Writes the tag object and its ref in one go (for repairs and tests).
    /// When the ref already marks `commit`, returns the existing tag's id and
    /// writes nothing.
    ///
    /// # Errors
    /// As [`DocStore::write_tag_object`] and [`DocStore::set_tag_ref`]; with
    /// `force` a tag marking another commit is replaced.
    pub fn tag_revision(
        &self,
        number: &str,
        n: i32,
        commit: &str,
        tagger: &GitPerson,
        message: &str,
        force: bool,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        let ref_name = tag_ref_name(number, n)?;
        let wanted = parse_oid(commit)?;
        {
            let repo = self.open()?;
            if peeled(&repo, &ref_name)? == Some(wanted)
                && let Some(existing) = ref_target(&repo, &ref_name)?
            {
                return Ok(existing.to_string());
            }
        }
        let tag = self.write_tag_object(number, n, commit, tagger, message)?;
        self.put_tag_ref(number, n, &tag, force)?;
        Ok(tag)
    }

    /// The commit `refs/tags/<NUMBER>/r<n>` peels to.
    ///
    /// # Errors
    /// Bad number or revision, git failures.
    pub fn tag_target(&self, number: &str, n: i32) -> anyhow::Result<Option<String>> {
        check_number(number)?;
        let ref_name = tag_ref_name(number, n)?;
        let repo = self.open()?;
        Ok(peeled(&repo, &ref_name)?.map(|o| o.to_string()))
    }

    /// Writes a commit whose tree is the union of the given documents'
    /// files, each `(number, commit)` contributing its `<NUMBER>.md`, `<NUMBER>.form.json`, `<NUMBER>.promise.json` and
    /// `<NUMBER>/` as they are in that commit; moves no ref. Entries are
    /// copied by id, so no file is read.
    ///
    /// # Errors
    /// Bad numbers or ids, a number given twice, a commit that does not hold
    /// its document, a parent that is not a commit.
    pub fn write_main_commit(
        &self,
        effective: &[(String, String)],
        parent: Option<&str>,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        let repo = self.open()?;
        let mut root = repo.treebuilder(None)?;
        let mut seen = HashSet::with_capacity(effective.len());
        for (number, commit) in effective {
            check_number(number)?;
            if !seen.insert(number.as_str()) {
                return Err(StoreError::DuplicateDocument {
                    number: number.clone(),
                }
                .into());
            }
            let tree = doc_commit(&repo, number, commit)?.tree()?;
            let md_name = markdown_file(number);
            let md = tree
                .get_name(&md_name)
                .with_context(|| format!("{number}: no Markdown at {commit}"))?;
            root.insert(&md_name, md.id(), md.filemode())
                .with_context(|| format!("{number}: main tree"))?;
            for part_name in [form_file(number), promise_file(number)] {
                if let Some(part) = tree.get_name(&part_name)
                    && part.kind() == Some(ObjectType::Blob)
                {
                    root.insert(&part_name, part.id(), part.filemode())
                        .with_context(|| format!("{number}: main tree"))?;
                }
            }
            if let Some(dir) = tree.get_name(number)
                && dir.kind() == Some(ObjectType::Tree)
            {
                root.insert(number, dir.id(), FileMode::Tree.into())
                    .with_context(|| format!("{number}: main tree"))?;
            }
        }
        let tree = repo
            .find_tree(root.write().context("cannot write the main tree")?)
            .context("main tree")?;
        let parent = parent
            .map(|p| {
                let oid = parse_oid(p)?;
                repo.find_commit(oid)
                    .with_context(|| format!("main: no parent commit {p}"))
            })
            .transpose()?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let sig = signature(author)?;
        let id = repo
            .commit(None, &sig, &sig, &message_text(message), &tree, &parents)
            .context("cannot write the main commit")?;
        Ok(id.to_string())
    }

    /// Force-moves `refs/heads/main` to `commit`. The database holds the
    /// chain of main commits; the ref follows it.
    ///
    /// # Errors
    /// Bad id, not a commit, git failures.
    pub fn set_main_ref(&self, commit: &str) -> anyhow::Result<()> {
        let oid = parse_oid(commit)?;
        let repo = self.open()?;
        repo.find_commit(oid)
            .with_context(|| format!("main: no commit {commit}"))?;
        move_ref(&repo, MAIN_REF, oid, "laatu: effective documents")
    }

    /// The commit `refs/heads/main` points at.
    ///
    /// # Errors
    /// Git failures.
    pub fn main_tip(&self) -> anyhow::Result<Option<String>> {
        let repo = self.open()?;
        Ok(ref_target(&repo, MAIN_REF)?.map(|o| o.to_string()))
    }

    /// The documents in main's tree: `(number, blob id of <NUMBER>.md)`,
    /// sorted by number. Files that are not a document's Markdown are left
    /// out. Empty when there is no main yet.
    ///
    /// # Errors
    /// Git failures.
    pub fn main_documents(&self) -> anyhow::Result<Vec<(String, String)>> {
        let repo = self.open()?;
        let Some(tip) = ref_target(&repo, MAIN_REF)? else {
            return Ok(Vec::new());
        };
        let tree = repo
            .find_commit(tip)
            .and_then(|c| c.tree())
            .with_context(|| format!("main: tree of {tip}"))?;
        let mut docs = Vec::new();
        for entry in tree.iter() {
            if entry.kind() != Some(ObjectType::Blob) {
                continue;
            }
            let Some(number) = entry.name().and_then(|n| n.strip_suffix(".md")) else {
                continue;
            };
            if check_number(number).is_ok() {
                docs.push((number.to_string(), entry.id().to_string()));
            }
        }
        docs.sort();
        Ok(docs)
    }
}

/// The commit a ref peels to, `None` when the ref does not exist.
fn peeled(repo: &Repository, name: &str) -> anyhow::Result<Option<Oid>> {
    match repo.find_reference(name) {
        Ok(r) => Ok(Some(
            r.peel_to_commit()
                .with_context(|| format!("{name} does not lead to a commit"))?
                .id(),
        )),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("reading {name}"))),
    }
}
