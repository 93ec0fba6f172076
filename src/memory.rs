//! The allocator setting that keeps resident memory level under logins.
//!
//! Every password check (argon2id, default parameters) allocates a 19 MiB
//! block. glibc's malloc serves blocks above its mmap threshold with `mmap`
//! and returns them to the system on free, but after the first such free it
//! raises the threshold to that block's size (up to 32 MiB). From then on
//! the 19 MiB blocks come from the per-thread arenas, and each arena keeps
//! its freed block resident: under concurrent logins the server grew by
//! about 200 MB and stayed there (docs/performance.md). Fixing the
//! threshold at its default keeps large blocks mmapped, so they go back to
//! the system at once.

/// Fixes glibc's mmap threshold at 128 KiB (its default, without the
/// dynamic raise). Call once at start-up; elsewhere than glibc it does
/// nothing. `MALLOC_MMAP_THRESHOLD_` in the environment has the same effect.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator parameter; it is called
    // before the server starts its worker threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
