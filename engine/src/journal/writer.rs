//! Writing journals: durably, chained, closed when the recorder stops.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::chain::{self, Link};
use super::{Header, Journal, JournalError, Record, read_journal};

/// One framed line: `CRC32-hex SPACE json \n`.
pub(super) fn frame(json: &str) -> String {
    format!("{:08X} {json}\n", crc32fast::hash(json.as_bytes()))
}

/// Appends records to a journal file, each on disk (`sync_data`) before `append` returns;
/// a server taking many commands at once writes them all, then syncs once
/// ([`Self::write`], [`Self::sync`]): one disk flush instead of one per command.
///
/// Each line is linked into the journal's hash chain. [`Self::close`] ends the journal
/// with a [`Record::Closed`]; a writer dropped without it closes the journal then (a
/// recorder that returns, or unwinds, stopped properly: nothing it wrote is missing),
/// unless a write failed, so that a damaged end is never papered over.
#[derive(Debug)]
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    records: usize,
    /// Records written since the last sync.
    unsynced: bool,
    /// The last line's link; `None` for a format 1 journal continued by `open_append`
    /// (written on in its own format: no chain, no closing record).
    link: Option<Link>,
    /// Tick of the last record written (or read, when continuing a journal).
    tick: u32,
    /// The last record is the closing one.
    closed: bool,
    /// A write or sync failed: the file's end is unknown, so nothing more is written.
    failed: bool,
}

impl JournalWriter {
    /// Creates a new journal at `path` (refusing to overwrite an existing file), readable
    /// and writable by its owner only (it holds the join codes), and writes its header
    /// durably.
    pub fn create(path: impl AsRef<Path>, header: &Header) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|error| JournalError::Io {
            action: "create",
            path: path.clone(),
            error,
        })?;
        let mut writer = Self {
            file,
            path,
            records: 0,
            unsynced: false,
            link: Some(Link::START),
            tick: 0,
            closed: false,
            failed: false,
        };
        writer.write_line(&serde_json::to_string(header)?)?;
        writer.sync()?;
        Ok(writer)
    }

    /// As [`Self::create`], but an existing regular file at `path` is replaced (its
    /// content is lost): what `--overwrite-journal` asks for. Anything else in the way
    /// (a directory, a device such as `/dev/full`, a pipe, a socket, a symbolic link) is
    /// refused and left untouched.
    pub fn create_replacing(path: impl AsRef<Path>, header: &Header) -> Result<Self, JournalError> {
        let path = path.as_ref();
        if check_replaceable(path)? {
            std::fs::remove_file(path).map_err(|error| JournalError::Io {
                action: "remove (to replace it)",
                path: path.to_path_buf(),
                error,
            })?;
        }
        Self::create(path, header)
    }

    /// Opens an existing journal to continue it (a resumed exercise): reads it, cuts a
    /// partial last record off the file if a crash left one, and positions at the end.
    /// Returns the writer and what was already recorded. A closed journal is continued
    /// after its closing record.
    pub fn open_append(path: impl AsRef<Path>) -> Result<(Self, Journal), JournalError> {
        let path = path.as_ref().to_path_buf();
        let journal = read_journal(&path)?;
        let io_err = |action: &'static str| {
            let path = path.clone();
            move |error| JournalError::Io {
                action,
                path,
                error,
            }
        };
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err("open for appending"))?;
        if let Some(cut) = &journal.recovered {
            file.set_len(cut.valid_len)
                .map_err(io_err("cut the partial last record off"))?;
            file.sync_data().map_err(io_err("sync"))?;
        }
        let writer = Self {
            file,
            path: path.clone(),
            records: journal.records.len(),
            unsynced: false,
            link: journal.chain,
            tick: journal.last_tick(),
            closed: journal.is_closed(),
            failed: false,
        };
        Ok((writer, journal))
    }

    /// Appends one record; returns only once it is on disk, so the caller may then
    /// acknowledge the command to the player.
    pub fn append(&mut self, record: &Record) -> Result<(), JournalError> {
        self.write(record)?;
        self.sync()
    }

    /// Writes one record without waiting for the disk: it is durable only once
    /// [`Self::sync`] returns, and no command it records may be acknowledged before.
    pub fn write(&mut self, record: &Record) -> Result<(), JournalError> {
        self.write_line(&serde_json::to_string(record)?)?;
        self.records += 1;
        self.tick = record.tick();
        self.closed = matches!(record, Record::Closed { .. });
        Ok(())
    }

    /// Puts every record written so far on disk (nothing to do if they already are).
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if self.unsynced {
            self.refuse_after_failure()?;
            let synced = self.file.sync_data();
            self.failed |= synced.is_err();
            synced.map_err(self.io_err("sync"))?;
            self.unsynced = false;
        }
        Ok(())
    }

    /// Ends the journal properly: a closing record at the last tick written, on disk.
    /// Returns the chain's last link, the journal's digest (`None` for a continued
    /// format 1 journal, which gets no closing record). Closing twice writes nothing.
    pub fn close(mut self) -> Result<Option<Link>, JournalError> {
        self.close_now()?;
        Ok(self.link)
    }

    /// The chain's last link so far (`None`: a continued format 1 journal).
    pub fn chain(&self) -> Option<Link> {
        self.link
    }

    /// Records written after the header (including those read by [`Self::open_append`]).
    pub fn records_written(&self) -> usize {
        self.records
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn close_now(&mut self) -> Result<(), JournalError> {
        if !self.closed && self.link.is_some() {
            self.append(&Record::Closed { tick: self.tick })?;
        }
        self.sync()
    }

    /// Frames `json` (linked into the chain, from format 2 on) and writes the line.
    fn write_line(&mut self, json: &str) -> Result<(), JournalError> {
        self.refuse_after_failure()?;
        let (line, link) = match &self.link {
            Some(prev) => {
                let (linked, link) = chain::attach(prev, json);
                (frame(&linked), Some(link))
            }
            None => (frame(json), None),
        };
        let written = self.file.write_all(line.as_bytes());
        self.failed |= written.is_err();
        written.map_err(self.io_err("write to"))?;
        self.link = link;
        self.unsynced = true;
        Ok(())
    }

    fn refuse_after_failure(&self) -> Result<(), JournalError> {
        if self.failed {
            return Err(JournalError::Io {
                action: "write to",
                path: self.path.clone(),
                error: std::io::Error::other(
                    "an earlier write or sync failed, so the journal's end is unknown",
                ),
            });
        }
        Ok(())
    }

    fn io_err(&self, action: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
        let path = self.path.clone();
        move |error| JournalError::Io {
            action,
            path,
            error,
        }
    }
}

impl Drop for JournalWriter {
    /// Closes the journal if its owner did not (see the type's documentation). An error
    /// here has nobody to tell: the journal then reads as "not closed", which is true.
    fn drop(&mut self) {
        if !self.failed {
            let _ = self.close_now();
        }
    }
}

/// Whether a journal may be created at `path` replacing what is there: `Ok(false)` if
/// nothing is, `Ok(true)` for a regular file (to be removed first), and an error for
/// anything else, saying what is in the way.
pub fn check_replaceable(path: &Path) -> Result<bool, JournalError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => {
            return Err(JournalError::Io {
                action: "inspect the path of the",
                path: path.to_path_buf(),
                error,
            });
        }
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(true);
    }
    Err(JournalError::NotAFile {
        path: path.to_path_buf(),
        what: file_kind(&kind),
    })
}

/// What a non-regular file is, in words.
fn file_kind(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}
