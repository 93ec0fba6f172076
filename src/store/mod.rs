//! DocStore: the only code that touches git2. One bare repository holds the
//! controlled documents (see docs/architecture.md for the ref layout).

use std::path::{Path, PathBuf};

use anyhow::Context;

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
        if path.exists() {
            git2::Repository::open_bare(path)
                .with_context(|| format!("{} is not a bare git repository", path.display()))?;
        } else {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.bare(true).initial_head("main").mkpath(true);
            git2::Repository::init_opts(path, &opts)
                .with_context(|| format!("cannot create the repository {}", path.display()))?;
        }
        Ok(DocStore {
            path: path.to_path_buf(),
        })
    }

    /// Names the repository without opening or creating it (for checks).
    pub fn at(path: &Path) -> DocStore {
        DocStore {
            path: path.to_path_buf(),
        }
    }

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
