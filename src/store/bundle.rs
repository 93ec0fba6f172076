//! The document repository as a git bundle (v2): what `git bundle verify`
//! accepts and `git clone` opens, written by libgit2's pack builder without
//! a `git` binary. Used by the evidence export (`documents.bundle`).

use std::io::Write;

use anyhow::Context;

use super::DocStore;

impl DocStore {
    /// Writes every ref (the main tree, revision tags, draft tips) and
    /// every object they reach as a v2 git bundle to `out`, the pack
    /// streamed in chunks as libgit2 produces it. Returns the number of
    /// refs written.
    ///
    /// # Errors
    /// A repository or output fault.
    pub fn write_bundle(&self, out: &mut dyn Write) -> anyhow::Result<usize> {
        let repo = self.open()?;
        let mut refs: Vec<(git2::Oid, String)> = Vec::new();
        for r in repo.references().context("listing refs")? {
            let r = r.context("reading a ref")?;
            if let (Some(name), Some(target)) = (r.name(), r.target()) {
                refs.push((target, name.to_string()));
            }
        }
        refs.sort_by(|a, b| a.1.cmp(&b.1));
        // HEAD, so that a clone checks out the main tree.
        let head = refs
            .iter()
            .find(|(_, n)| n == "refs/heads/main")
            .map(|(oid, _)| *oid);
        let mut header = String::from("# v2 git bundle\n");
        for (oid, name) in &refs {
            header.push_str(&format!("{oid} {name}\n"));
        }
        if let Some(oid) = head {
            header.push_str(&format!("{oid} HEAD\n"));
        }
        header.push('\n');
        out.write_all(header.as_bytes())
            .context("writing the bundle")?;
        // Every commit the refs reach with its history and trees, and the
        // annotated tag objects themselves.
        let mut walk = repo.revwalk().context("revwalk")?;
        let mut tags = Vec::new();
        for (oid, name) in &refs {
            let object = repo
                .find_object(*oid, None)
                .with_context(|| format!("reading {name}"))?;
            if object.kind() == Some(git2::ObjectType::Tag) {
                tags.push(*oid);
            }
            let commit = object
                .peel_to_commit()
                .with_context(|| format!("{name} does not lead to a commit"))?;
            walk.push(commit.id()).context("revwalk")?;
        }
        let mut pack = repo.packbuilder().context("pack builder")?;
        pack.insert_walk(&mut walk).context("packing the history")?;
        for tag in tags {
            pack.insert_object(tag, None).context("packing a tag")?;
        }
        let mut failure = None;
        let packed = pack.foreach(|chunk| match out.write_all(chunk) {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        });
        if let Some(e) = failure {
            return Err(anyhow::Error::new(e).context("writing the bundle"));
        }
        packed.context("writing the pack")?;
        Ok(refs.len())
    }
}
