//! DocStore: the only code that touches git2. One bare repository holds the
//! controlled documents (see docs/architecture.md for the ref layout).
//!
//! - A document's content at a commit is `<NUMBER>.md` plus attachments under
//!   `<NUMBER>/`, and for a form template its fields in `<NUMBER>.form.json`;
//!   nothing else is in that commit's tree.
//! - Draft saves are commits on `refs/drafts/<NUMBER>`.
//! - An approved revision is the annotated tag `refs/tags/<NUMBER>/r<N>`.
//! - `refs/heads/main` holds the union of the effective documents' files.
//!
//! Laatu writes git objects first, then the database, then refs, so every
//! write comes in two halves: `write_*` makes objects and moves no ref,
//! `set_*` moves a ref to an object that already exists.

mod bundle;
mod content;
pub mod names;
mod refs;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use anyhow::Context;

/// Who made a commit or tag, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitPerson {
    /// The person's name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
    /// UTC.
    pub time: chrono::NaiveDateTime,
}

/// One attached file of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name within the document's folder.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A document's whole content at one commit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocContent {
    /// The document's Markdown.
    pub markdown: String,
    /// Its attached files.
    pub attachments: Vec<Attachment>,
}

/// The object ids that make up one document in a tree: equal entries mean
/// equal content, whichever commit (a revision's or main's) they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocEntries {
    /// Blob id of `<NUMBER>.md`.
    pub markdown: String,
    /// Tree id of `<NUMBER>/`, when the document has attachments.
    pub attachments: Option<String>,
    /// Blob id of `<NUMBER>.form.json`, when the document is a form template.
    pub form: Option<String>,
    /// Blob id of `<NUMBER>.promise.json`, when the document is a value promise.
    pub promise: Option<String>,
}

/// Bad input the store refuses. Callers may `downcast_ref` an
/// `anyhow::Error` to this to tell a user's mistake from a fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The text given is not a document number, so it names no ref or path.
    #[error("{0:?} is not a document number")]
    BadNumber(String),
    /// An attachment name that could escape its folder or clash in git.
    #[error("{name:?} cannot be an attachment name: {why}")]
    BadAttachmentName {
        /// The name as given.
        name: String,
        /// Which rule it breaks.
        why: &'static str,
    },
    /// Two attachments of one save have the same name.
    #[error("two attachments are named {0:?}")]
    DuplicateAttachment(String),
    /// The text is not a full 40-digit commit or object id.
    #[error("{0:?} is not a full object id")]
    BadObjectId(String),
    /// A revision number below 1.
    #[error("{0} is not a revision number")]
    BadRevision(i32),
    /// The commit given does not contain the document.
    #[error("commit {commit} does not hold document {number}")]
    NotThisDocument {
        /// The document asked for.
        number: String,
        /// The commit that does not hold it.
        commit: String,
    },
    /// The document has no attachment of that name at that commit.
    #[error("{number} has no attachment {name:?} at {commit}")]
    NoSuchAttachment {
        /// The document asked for.
        number: String,
        /// The commit looked in.
        commit: String,
        /// The attachment's name.
        name: String,
    },
    /// The set of effective documents names one document twice.
    #[error("{number} appears twice in the effective set")]
    DuplicateDocument {
        /// The document named twice.
        number: String,
    },
    /// A revision's tag already exists and marks another commit.
    #[error("tag {tag} already marks commit {existing}, not {wanted}")]
    TagElsewhere {
        /// The tag's name (`QP-001/r2`).
        tag: String,
        /// The commit the tag marks now.
        existing: String,
        /// The commit it was to mark.
        wanted: String,
    },
    /// An object id that is not the annotated tag it was said to be.
    #[error("object {id} is not the tag {tag}")]
    NotThisTag {
        /// The object's id.
        id: String,
        /// The tag it was taken for.
        tag: String,
    },
}

/// The bare repository of controlled documents.
#[derive(Debug, Clone)]
pub struct DocStore {
    path: PathBuf,
}

impl DocStore {
    /// Opens the repository, creating an empty bare one if there is none.
    /// `fsync` makes libgit2 fsync objects and refs before a write returns.
    ///
    /// # Errors
    /// When the folder cannot be created or is not a git repository.
    pub fn open_or_init(path: &Path, fsync: bool) -> anyhow::Result<DocStore> {
        // A process-wide libgit2 option; git2 has no setter for it.
        libgit2_sys::init();
        // SAFETY: called before any repository is used by this process.
        unsafe {
            libgit2_sys::git_libgit2_opts(
                libgit2_sys::GIT_OPT_ENABLE_FSYNC_GITDIR as std::ffi::c_int,
                std::ffi::c_int::from(fsync),
            );
        }
        let repo = if path.exists() {
            git2::Repository::open_bare(path)
                .with_context(|| format!("{} is not a bare git repository", path.display()))?
        } else {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.bare(true).initial_head("main").mkpath(true);
            git2::Repository::init_opts(path, &opts)
                .with_context(|| format!("cannot create the repository {}", path.display()))?
        };
        enable_reflogs(&repo).with_context(|| format!("cannot configure {}", path.display()))?;
        Ok(DocStore {
            path: path.to_path_buf(),
        })
    }

    /// Removes `*.lock` files that a killed process left in the repository.
    /// Only call this while holding the data folder's lock (see
    /// `Application::build`): then no other writer can be mid-update.
    ///
    /// # Errors
    /// When a folder cannot be read or a lock file removed.
    pub fn remove_stale_locks(&self) -> anyhow::Result<Vec<PathBuf>> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
            for entry in
                std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?
            {
                let path = entry?.path();
                if path.is_dir() {
                    walk(&path, out)?;
                } else if path.extension().is_some_and(|e| e == "lock") {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("removing {}", path.display()))?;
                    out.push(path);
                }
            }
            Ok(())
        }
        let mut removed = Vec::new();
        for top in ["refs", "logs"] {
            let dir = self.path.join(top);
            if dir.is_dir() {
                walk(&dir, &mut removed)?;
            }
        }
        for file in ["HEAD.lock", "packed-refs.lock", "config.lock", "index.lock"] {
            let path = self.path.join(file);
            if path.is_file() {
                std::fs::remove_file(&path)?;
                removed.push(path);
            }
        }
        Ok(removed)
    }

    /// Names the repository without opening or creating it (for checks).
    pub fn at(path: &Path) -> DocStore {
        DocStore {
            path: path.to_path_buf(),
        }
    }

    /// The repository's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the repository for one operation (`Repository` is not `Sync`).
    ///
    /// # Errors
    /// When the repository cannot be opened.
    pub fn open(&self) -> anyhow::Result<git2::Repository> {
        git2::Repository::open_bare(&self.path)
            .with_context(|| format!("cannot open {}", self.path.display()))
    }

    /// Whether the repository is usable: it opens and its object database answers.
    ///
    /// # Errors
    /// What went wrong.
    pub fn check_ready(&self) -> anyhow::Result<()> {
        let repo = self.open()?;
        repo.odb().context("object database")?;
        anyhow::ensure!(repo.is_bare(), "repository is not bare");
        Ok(())
    }
}

/// A bare repository logs no ref updates unless `core.logAllRefUpdates` is
/// set; with `true`, main is logged and so is every ref given a log file
/// (drafts get one). A value someone set by hand is left alone.
fn enable_reflogs(repo: &git2::Repository) -> anyhow::Result<()> {
    let key = "core.logAllRefUpdates";
    let mut local = repo.config()?.open_level(git2::ConfigLevel::Local)?;
    match local.get_string(key) {
        Ok(_) => Ok(()),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(local.set_bool(key, true)?),
        Err(e) => Err(e.into()),
    }
}
