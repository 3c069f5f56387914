//! Reading a file from an untrusted tree: never block, never read without
//! a bound, never follow a link that was not asked for.
//!
//! Every file trustlint reads — inputs, ignore files, configuration,
//! baselines, Terraform `file()` targets — goes through [`read_bounded`]:
//!
//! - the file is opened with `O_NONBLOCK`, so a FIFO (named like a policy,
//!   or swapped in after the walk) cannot stop the run in `open`;
//! - after opening, `fstat` on the open descriptor must say it is a
//!   regular file: a FIFO, socket or device is refused, whatever the walk
//!   saw before (a swap between walk and read changes nothing);
//! - without [`Follow::Yes`], a symbolic link is refused (`O_NOFOLLOW`):
//!   the walk never follows links, so a link that appears later is not
//!   read;
//! - at most `max` bytes are read, even when the file grows meanwhile.

use std::io::Read as _;
use std::path::Path;

/// Whether the last component may be a symbolic link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    Yes,
    No,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: what it is (`a FIFO`, `a directory`, …).
    NotRegular(&'static str),
    /// Larger than the bound: its size (or at least `max + 1`).
    TooLarge { max: u64, len: u64 },
    /// The operating system's error (including a refused link).
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge { max, len } => {
                write!(f, "larger than the limit of {max} bytes ({len} bytes)")
            }
            ReadError::Io(e) if is_link_refused(e) => f.write_str("a symbolic link, not followed"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

#[cfg(unix)]
fn is_link_refused(e: &std::io::Error) -> bool {
    // O_NOFOLLOW on a link fails with ELOOP (EMLINK on some BSDs).
    matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EMLINK))
}

#[cfg(not(unix))]
fn is_link_refused(_: &std::io::Error) -> bool {
    false
}

/// What a non-regular file is, for messages.
pub fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn open(path: &Path, follow: Follow) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY;
        if follow == Follow::No {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    if follow == Follow::No
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(std::io::Error::other("a symbolic link, not followed"));
    }
    options.open(path)
}

/// Read up to `max + 1` bytes (one more than allowed tells that there was
/// more): as many as `len`, the size `fstat` gave, so that the read that
/// fills the buffer ends the file without a read to see its end, and the
/// buffer is never zeroed first (std reads into its spare capacity). A
/// file that says it is empty (procfs, one being written) is read to its
/// end, up to the cap; one that grows meanwhile is read as it was.
fn read_capped(file: &mut std::fs::File, len: u64, max: u64) -> std::io::Result<Vec<u8>> {
    let cap = max.saturating_add(1);
    let limit = if len == 0 { cap } else { len.min(cap) };
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(cap)).unwrap_or(0));
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Read at most `max` bytes of a regular file, without blocking (see the
/// module documentation).
pub fn read_bounded(path: &Path, max: u64, follow: Follow) -> Result<Vec<u8>, ReadError> {
    let mut file = open(path, follow).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            max,
            len: meta.len(),
        });
    }
    let bytes = read_capped(&mut file, meta.len(), max).map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            max,
            len: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The first `max` bytes of a regular file, without blocking, and whether
/// there was more (for files whose head is still of use: ignore files).
pub fn read_head(path: &Path, max: u64, follow: Follow) -> Result<(Vec<u8>, bool), ReadError> {
    let mut file = open(path, follow).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    let mut bytes = read_capped(&mut file, meta.len(), max).map_err(ReadError::Io)?;
    let truncated = bytes.len() as u64 > max;
    bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    Ok((bytes, truncated))
}

/// [`read_bounded`], decoded as text (UTF-8 with or without BOM, UTF-16
/// with BOM); `Err` is a message.
pub fn read_text(path: &Path, max: u64, follow: Follow) -> Result<String, String> {
    let bytes = read_bounded(path, max, follow).map_err(|e| e.to_string())?;
    super::decode::decode_owned(bytes).map_err(|e| e.to_string())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_fifos_links_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.json");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_bounded(&fifo, 10, Follow::Yes).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a FIFO)");

        let real = dir.path().join("real.json");
        std::fs::write(&real, "0123456789").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = read_bounded(&link, 100, Follow::No).unwrap_err();
        assert_eq!(e.to_string(), "a symbolic link, not followed");
        assert_eq!(read_bounded(&link, 100, Follow::Yes).unwrap().len(), 10);

        let e = read_bounded(&real, 9, Follow::No).unwrap_err();
        assert_eq!(e.to_string(), "larger than the limit of 9 bytes (10 bytes)");
        let e = read_bounded(Path::new("/dev/zero"), 9, Follow::Yes).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a device)");
        let e = read_bounded(dir.path(), 9, Follow::Yes).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a directory)");
    }
}
