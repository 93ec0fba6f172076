//! A document's content: draft commits and reading content back.

use anyhow::Context;
use git2::build::TreeUpdateBuilder;
use git2::{FileMode, ObjectType, Oid, Repository};

use super::names::{
    check_attachment_name, check_number, form_file, markdown_file, parse_oid, promise_file,
};
use super::{Attachment, DocContent, DocEntries, DocStore, GitPerson, StoreError};

/// A git signature for the person; characters git cannot hold in a name or
/// e-mail (angle brackets, line breaks) become spaces rather than failing an
/// approval over a display name.
pub(super) fn signature(person: &GitPerson) -> anyhow::Result<git2::Signature<'static>> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c == '<' || c == '>' || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    let time = git2::Time::new(person.time.and_utc().timestamp(), 0);
    git2::Signature::new(&clean(&person.name), &clean(&person.email), &time)
        .with_context(|| format!("git needs a name and an e-mail, got {person:?}"))
}

/// Git convention: a message ends with a line break.
pub(super) fn message_text(message: &str) -> String {
    if message.ends_with('\n') {
        message.to_string()
    } else {
        format!("{message}\n")
    }
}

/// The commit, checked to hold `<NUMBER>.md`, so ids of one document cannot
/// be filed under another.
pub(super) fn doc_commit<'r>(
    repo: &'r Repository,
    number: &str,
    commit: &str,
) -> anyhow::Result<git2::Commit<'r>> {
    let oid = parse_oid(commit)?;
    let found = repo
        .find_commit(oid)
        .with_context(|| format!("{number}: no commit {commit}"))?;
    let tree = found
        .tree()
        .with_context(|| format!("{number}: tree of {commit}"))?;
    let holds = tree
        .get_name(&markdown_file(number))
        .is_some_and(|e| e.kind() == Some(ObjectType::Blob));
    if !holds {
        return Err(StoreError::NotThisDocument {
            number: number.to_string(),
            commit: commit.to_string(),
        }
        .into());
    }
    Ok(found)
}

/// The document's entries in a tree, if `<NUMBER>.md` is there.
pub(super) fn entries_in(tree: &git2::Tree<'_>, number: &str) -> Option<DocEntries> {
    let md = tree.get_name(&markdown_file(number))?;
    if md.kind() != Some(ObjectType::Blob) {
        return None;
    }
    let attachments = tree
        .get_name(number)
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| e.id().to_string());
    let form = tree
        .get_name(&form_file(number))
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id().to_string());
    let promise = tree
        .get_name(&promise_file(number))
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id().to_string());
    Some(DocEntries {
        markdown: md.id().to_string(),
        attachments,
        form,
        promise,
    })
}

fn empty_tree(repo: &Repository) -> anyhow::Result<git2::Tree<'_>> {
    let id = repo.treebuilder(None)?.write()?;
    Ok(repo.find_tree(id)?)
}

impl DocStore {
    /// Writes blobs, tree and commit for a draft save with exactly the given
    /// content; moves no ref. `parent` is the previous draft tip or the
    /// previous revision's commit, `None` for the first save ever.
    ///
    /// # Errors
    /// Bad number or attachment names, duplicate attachment names, a parent
    /// that is not a commit of this document, git failures.
    pub fn write_draft_commit(
        &self,
        number: &str,
        parent: Option<&str>,
        content: &DocContent,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        for a in &content.attachments {
            check_attachment_name(&a.name)?;
        }
        let repo = self.open()?;
        let parent = parent.map(|p| doc_commit(&repo, number, p)).transpose()?;
        let tree = (|| -> anyhow::Result<Oid> {
            let mut root = repo.treebuilder(None)?;
            let md = repo.blob(content.markdown.as_bytes())?;
            root.insert(markdown_file(number), md, FileMode::Blob.into())?;
            if !content.attachments.is_empty() {
                let mut dir = repo.treebuilder(None)?;
                for a in &content.attachments {
                    if dir.get(&a.name)?.is_some() {
                        return Err(StoreError::DuplicateAttachment(a.name.clone()).into());
                    }
                    let blob = repo.blob(&a.bytes)?;
                    dir.insert(&a.name, blob, FileMode::Blob.into())?;
                }
                root.insert(number, dir.write()?, FileMode::Tree.into())?;
            }
            Ok(root.write()?)
        })()
        .with_context(|| format!("{number}: cannot write the draft's tree"))?;
        commit_tree(&repo, number, tree, parent.as_ref(), author, message)
    }

    /// A commit that replaces the Markdown and keeps the attachments of
    /// `parent` (none when there is no parent); moves no ref.
    ///
    /// # Errors
    /// As [`DocStore::write_draft_commit`].
    pub fn write_markdown_commit(
        &self,
        number: &str,
        parent: Option<&str>,
        markdown: &str,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        let repo = self.open()?;
        let parent = parent.map(|p| doc_commit(&repo, number, p)).transpose()?;
        let tree = (|| -> anyhow::Result<Oid> {
            let base = match &parent {
                Some(p) => p.tree()?,
                None => empty_tree(&repo)?,
            };
            let md = repo.blob(markdown.as_bytes())?;
            Ok(TreeUpdateBuilder::new()
                .upsert(markdown_file(number), md, FileMode::Blob)
                .create_updated(&repo, &base)?)
        })()
        .with_context(|| format!("{number}: cannot write the draft's tree"))?;
        commit_tree(&repo, number, tree, parent.as_ref(), author, message)
    }

    /// A commit that replaces the Markdown and a form template's field
    /// definition (`<NUMBER>.form.json`) and keeps the attachments of
    /// `parent`; moves no ref.
    ///
    /// # Errors
    /// As [`DocStore::write_draft_commit`].
    pub fn write_form_commit(
        &self,
        number: &str,
        parent: Option<&str>,
        markdown: &str,
        form: &str,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        self.write_part_commit(
            number,
            parent,
            markdown,
            &form_file(number),
            form,
            author,
            message,
        )
    }

    /// A commit that replaces the Markdown and a value promise's structured
    /// part (`<NUMBER>.promise.json`) and keeps the attachments of
    /// `parent`; moves no ref.
    ///
    /// # Errors
    /// As [`DocStore::write_draft_commit`].
    pub fn write_promise_commit(
        &self,
        number: &str,
        parent: Option<&str>,
        markdown: &str,
        promise: &str,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        self.write_part_commit(
            number,
            parent,
            markdown,
            &promise_file(number),
            promise,
            author,
            message,
        )
    }

    #[expect(clippy::too_many_arguments, reason = "a commit has this many parts")]
    fn write_part_commit(
        &self,
        number: &str,
        parent: Option<&str>,
        markdown: &str,
        part_name: &str,
        part: &str,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        let repo = self.open()?;
        let parent = parent.map(|p| doc_commit(&repo, number, p)).transpose()?;
        let tree = (|| -> anyhow::Result<Oid> {
            let base = match &parent {
                Some(p) => p.tree()?,
                None => empty_tree(&repo)?,
            };
            let md = repo.blob(markdown.as_bytes())?;
            let part = repo.blob(part.as_bytes())?;
            Ok(TreeUpdateBuilder::new()
                .upsert(markdown_file(number), md, FileMode::Blob)
                .upsert(part_name, part, FileMode::Blob)
                .create_updated(&repo, &base)?)
        })()
        .with_context(|| format!("{number}: cannot write the draft's tree"))?;
        commit_tree(&repo, number, tree, parent.as_ref(), author, message)
    }

    /// A value promise's structured part at a commit, `None` when the
    /// commit holds none.
    ///
    /// # Errors
    /// As [`DocStore::read_form`].
    pub fn read_promise(&self, number: &str, commit: &str) -> anyhow::Result<Option<String>> {
        check_number(number)?;
        self.read_part(number, commit, &promise_file(number))
    }

    /// A form template's field definition at a commit, `None` when the
    /// commit holds none.
    ///
    /// # Errors
    /// Bad number or id, a commit that does not hold this document, a
    /// definition that is not UTF-8, git failures.
    pub fn read_form(&self, number: &str, commit: &str) -> anyhow::Result<Option<String>> {
        check_number(number)?;
        self.read_part(number, commit, &form_file(number))
    }

    fn read_part(&self, number: &str, commit: &str, name: &str) -> anyhow::Result<Option<String>> {
        let repo = self.open()?;
        let tree = doc_commit(&repo, number, commit)?.tree()?;
        let Some(entry) = tree.get_name(name) else {
            return Ok(None);
        };
        let blob = repo
            .find_blob(entry.id())
            .with_context(|| format!("{number}: {name} at {commit}"))?;
        String::from_utf8(blob.content().to_vec())
            .map(Some)
            .with_context(|| format!("{number}: {name} at {commit} is not UTF-8"))
    }

    /// A commit whose tree is `parent`'s with the attachment `name` added or
    /// replaced; moves no ref.
    ///
    /// # Errors
    /// Bad number or name, a parent that is not a commit of this document,
    /// git failures.
    pub fn write_commit_with_attachment(
        &self,
        number: &str,
        parent: &str,
        name: &str,
        bytes: &[u8],
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        check_attachment_name(name)?;
        let repo = self.open()?;
        let parent = doc_commit(&repo, number, parent)?;
        let tree = (|| -> anyhow::Result<Oid> {
            let blob = repo.blob(bytes)?;
            Ok(TreeUpdateBuilder::new()
                .upsert(format!("{number}/{name}"), blob, FileMode::Blob)
                .create_updated(&repo, &parent.tree()?)?)
        })()
        .with_context(|| format!("{number}: cannot add the attachment {name:?}"))?;
        commit_tree(&repo, number, tree, Some(&parent), author, message)
    }

    /// A commit whose tree is `parent`'s without the attachment `name`;
    /// moves no ref.
    ///
    /// # Errors
    /// [`StoreError::NoSuchAttachment`] when `parent` has no such
    /// attachment; otherwise as [`DocStore::write_commit_with_attachment`].
    pub fn remove_attachment_commit(
        &self,
        number: &str,
        parent: &str,
        name: &str,
        author: &GitPerson,
        message: &str,
    ) -> anyhow::Result<String> {
        check_number(number)?;
        check_attachment_name(name)?;
        let repo = self.open()?;
        let parent_commit = doc_commit(&repo, number, parent)?;
        let base = parent_commit.tree()?;
        let present = base
            .get_name(number)
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .map(|e| repo.find_tree(e.id()))
            .transpose()?
            .is_some_and(|dir| dir.get_name(name).is_some());
        if !present {
            return Err(StoreError::NoSuchAttachment {
                number: number.to_string(),
                commit: parent.to_string(),
                name: name.to_string(),
            }
            .into());
        }
        // libgit2 drops `<NUMBER>/` when its last file goes.
        let tree = TreeUpdateBuilder::new()
            .remove(format!("{number}/{name}"))
            .create_updated(&repo, &base)
            .with_context(|| format!("{number}: cannot remove the attachment {name:?}"))?;
        commit_tree(&repo, number, tree, Some(&parent_commit), author, message)
    }

    /// The Markdown at a commit and the attachments' names and sizes in bytes,
    /// sorted by name.
    ///
    /// # Errors
    /// Bad number or id, a commit that does not hold this document, Markdown
    /// that is not UTF-8, git failures.
    pub fn read_content(
        &self,
        number: &str,
        commit: &str,
    ) -> anyhow::Result<(String, Vec<(String, u64)>)> {
        check_number(number)?;
        let repo = self.open()?;
        let tree = doc_commit(&repo, number, commit)?.tree()?;
        let markdown = read_markdown(&repo, &tree, number, commit)?;
        let odb = repo.odb()?;
        let mut files = Vec::new();
        if let Some(dir) = attachments_dir(&repo, &tree, number)? {
            for entry in dir.iter() {
                if entry.kind() != Some(ObjectType::Blob) {
                    continue;
                }
                // The header alone gives the size without inflating the file.
                let (size, _) = odb
                    .read_header(entry.id())
                    .with_context(|| format!("{number}: attachment {}", entry.id()))?;
                let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                files.push((name, size as u64));
            }
        }
        Ok((markdown, files))
    }

    /// Every attachment at a commit with its bytes, sorted by name.
    ///
    /// # Errors
    /// As [`DocStore::read_content`].
    pub fn read_attachments(&self, number: &str, commit: &str) -> anyhow::Result<Vec<Attachment>> {
        check_number(number)?;
        let repo = self.open()?;
        let tree = doc_commit(&repo, number, commit)?.tree()?;
        let mut out = Vec::new();
        if let Some(dir) = attachments_dir(&repo, &tree, number)? {
            for entry in dir.iter() {
                if entry.kind() != Some(ObjectType::Blob) {
                    continue;
                }
                let blob = repo
                    .find_blob(entry.id())
                    .with_context(|| format!("{number}: attachment {}", entry.id()))?;
                out.push(Attachment {
                    name: String::from_utf8_lossy(entry.name_bytes()).into_owned(),
                    bytes: blob.content().to_vec(),
                });
            }
        }
        Ok(out)
    }

    /// One attachment's bytes at a commit; `None` when there is none by that
    /// name.
    ///
    /// # Errors
    /// Bad number, id or name; a commit that does not hold this document.
    pub fn read_attachment(
        &self,
        number: &str,
        commit: &str,
        name: &str,
    ) -> anyhow::Result<Option<Vec<u8>>> {
        check_number(number)?;
        check_attachment_name(name)?;
        let repo = self.open()?;
        let tree = doc_commit(&repo, number, commit)?.tree()?;
        let Some(dir) = attachments_dir(&repo, &tree, number)? else {
            return Ok(None);
        };
        let Some(entry) = dir.get_name(name) else {
            return Ok(None);
        };
        if entry.kind() != Some(ObjectType::Blob) {
            return Ok(None);
        }
        let blob = repo
            .find_blob(entry.id())
            .with_context(|| format!("{number}: attachment {name:?}"))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// Whether `commit` names a commit in the repository.
    ///
    /// # Errors
    /// When `commit` is not a full object id or the repository fails.
    pub fn commit_exists(&self, commit: &str) -> anyhow::Result<bool> {
        let oid = parse_oid(commit)?;
        let repo = self.open()?;
        let odb = repo.odb()?;
        match odb.read_header(oid) {
            Ok((_, kind)) => Ok(kind == ObjectType::Commit),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(false),
            Err(e) => Err(anyhow::Error::new(e).context(format!("looking up {commit}"))),
        }
    }

    /// The ids of the document's `<NUMBER>.md` blob and `<NUMBER>/` tree at
    /// any commit, a revision's or main's; `None` when the commit's tree does
    /// not hold the document. Equal entries mean equal content.
    ///
    /// # Errors
    /// Bad number or id, no such commit.
    pub fn doc_entries(&self, number: &str, commit: &str) -> anyhow::Result<Option<DocEntries>> {
        check_number(number)?;
        let oid = parse_oid(commit)?;
        let repo = self.open()?;
        let tree = repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .with_context(|| format!("{number}: no commit {commit}"))?;
        Ok(entries_in(&tree, number))
    }
}

fn commit_tree(
    repo: &Repository,
    number: &str,
    tree: Oid,
    parent: Option<&git2::Commit<'_>>,
    author: &GitPerson,
    message: &str,
) -> anyhow::Result<String> {
    let sig = signature(author)?;
    let tree = repo.find_tree(tree)?;
    let parents: Vec<&git2::Commit<'_>> = parent.into_iter().collect();
    let id = repo
        .commit(None, &sig, &sig, &message_text(message), &tree, &parents)
        .with_context(|| format!("{number}: cannot write the commit"))?;
    Ok(id.to_string())
}

fn read_markdown(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    number: &str,
    commit: &str,
) -> anyhow::Result<String> {
    let entry = tree
        .get_name(&markdown_file(number))
        .with_context(|| format!("{number}: no Markdown at {commit}"))?;
    let blob = repo
        .find_blob(entry.id())
        .with_context(|| format!("{number}: Markdown at {commit}"))?;
    String::from_utf8(blob.content().to_vec())
        .with_context(|| format!("{number}: the Markdown at {commit} is not UTF-8"))
}

fn attachments_dir<'r>(
    repo: &'r Repository,
    tree: &git2::Tree<'_>,
    number: &str,
) -> anyhow::Result<Option<git2::Tree<'r>>> {
    match tree.get_name(number) {
        Some(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(
            repo.find_tree(e.id())
                .with_context(|| format!("{number}: attachments tree"))?,
        )),
        _ => Ok(None),
    }
}
