//! The server's SSH host key: made on the first run, kept in a file readable by its
//! owner only, and the same on every later run, so that players' `ssh` trusts the
//! server once (checking the fingerprint printed on their slip) and would warn loudly
//! if another machine ever answered in its place.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

/// Where the host key is kept when `--host-key` is not given: the user's configuration
/// directory (`$XDG_CONFIG_HOME/cyberdrill`, else `~/.config/cyberdrill`), so that the
/// key stays the same whichever directory `serve` is started from.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|dir| !dir.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })?;
    Some(base.join("cyberdrill").join("ssh_host_ed25519_key"))
}

/// A host key and whether this run made it.
pub struct HostKey {
    pub key: PrivateKey,
    pub created: bool,
}

impl HostKey {
    /// The key's SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`): what a player
    /// compares when `ssh` asks whether to trust the server.
    pub fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }
}

/// The Ed25519 host key kept at `path`, made (with the operating system's randomness)
/// and written there, readable by its owner only, if the file does not exist yet.
pub fn load_or_create(path: &Path) -> anyhow::Result<HostKey> {
    match std::fs::read(path) {
        Ok(bytes) => load(path, &bytes).map(|key| HostKey {
            key,
            created: false,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create(path).map(|key| HostKey { key, created: true })
        }
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot read the SSH host key {}: check its permissions, or give another \
                 file with --host-key",
                path.display()
            )
        }),
    }
}

fn load(path: &Path, bytes: &[u8]) -> anyhow::Result<PrivateKey> {
    refuse_if_shared(path)?;
    let key = PrivateKey::from_openssh(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not an OpenSSH private key ({e}): give the key file this server made \
             before, or a new file name with --host-key to make a new key (players' ssh \
             will then warn that the key changed)",
            path.display()
        )
    })?;
    if key.is_encrypted() {
        bail!(
            "the SSH host key {} is protected by a passphrase: give an unencrypted key \
             (readable by you only), or a new file name with --host-key",
            path.display()
        );
    }
    Ok(key)
}

/// A key file that others can read is no secret: refused, as OpenSSH refuses it.
fn refuse_if_shared(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("cannot read the SSH host key {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "the SSH host key {} can be read by other users (mode {:o}): make it \
                 private with `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn create(path: &Path) -> anyhow::Result<PrivateKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| anyhow::anyhow!("the operating system's random source is unavailable: {e}"))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let pem = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| anyhow::anyhow!("cannot encode the new SSH host key: {e}"))?;
    let cannot_write = || {
        format!(
            "cannot write the new SSH host key to {}: give a writable file with --host-key",
            path.display()
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).with_context(cannot_write)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(cannot_write)?;
    file.write_all(pem.as_bytes()).with_context(cannot_write)?;
    file.sync_all().with_context(cannot_write)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_private_to_its_owner_and_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("keys").join("host_key");
        let first = load_or_create(&path).expect("made");
        assert!(first.created);
        assert!(first.fingerprint().starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load_or_create(&path).expect("loaded");
        assert!(!again.created);
        assert_eq!(again.fingerprint(), first.fingerprint());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_readable_by_others_or_not_a_key_is_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("host_key");
        load_or_create(&path).expect("made");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let err = format!("{:#}", load_or_create(&path).err().expect("refused"));
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::write(&path, "not a key").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let err = format!("{:#}", load_or_create(&path).err().expect("refused"));
        assert!(err.contains("not an OpenSSH private key"), "{err}");
    }
}
