//! Scratch space for whole-program tests: a fresh directory in the system's temporary
//! directory (`cyberdrill-NAME-XXXXXX`), removed with everything in it when its
//! [`Scratch`] drops, also when the test fails. Declare it before the servers and
//! terminals that use it: locals drop in reverse order, so they are killed before their
//! directory goes.
#![allow(dead_code)] // each test file uses a different part of the kit

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A path in a temporary directory that lives as long as this value.
pub struct Scratch {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<OsStr> for Scratch {
    fn as_ref(&self) -> &OsStr {
        self.path.as_os_str()
    }
}

/// A fresh, empty directory for one test's files.
pub fn dir(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("cyberdrill-{name}-"))
        .tempdir()
        .unwrap_or_else(|err| panic!("cannot create a scratch directory: {err}"));
    Scratch {
        path: dir.path().to_path_buf(),
        _dir: dir,
    }
}

/// The path of a file `name`, not yet written, in a fresh directory of its own.
pub fn file(name: &str) -> Scratch {
    let Scratch { path, _dir } = dir(name);
    Scratch {
        path: path.join(name),
        _dir,
    }
}
