//! Making files in the local media folder durable: their bytes, and their names in their folders. Plain `fsync`,
//! on every Unix.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Makes the files durable, and their names in their folders (each folder once).
pub(crate) fn sync_files(paths: &[PathBuf]) -> std::io::Result<()> {
    let mut dirs: Vec<&Path> = Vec::new();
    for path in paths {
        if let Some(dir) = path.parent().filter(|d| !dirs.contains(d)) {
            dirs.push(dir);
        }
    }
    sync_all_at_once(paths.iter().map(PathBuf::as_path))?;
    sync_all_at_once(dirs.into_iter())
}

/// Fsyncs the files from a few threads at once, so the file system commits its journal for several of them
/// together instead of once per file.
fn sync_all_at_once<'a>(paths: impl Iterator<Item = &'a Path>) -> std::io::Result<()> {
    const THREADS: usize = 8;
    let paths: Vec<&Path> = paths.collect();
    let per_thread = paths.len().div_ceil(THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(per_thread)
            .map(|some| {
                scope.spawn(move || some.iter().try_for_each(|p| File::open(p)?.sync_all()))
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("fsync thread panicked")))
        })
    })
}
