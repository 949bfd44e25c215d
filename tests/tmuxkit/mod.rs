//! Driving the real `cyberdrill` binary in a real terminal: a detached tmux session
//! whose screen the test reads and whose keyboard it types on. Tests skip, with a
//! notice, where tmux is not installed (`.ci/run` installs it).
//!
//! Each session runs in its own tmux server (`tmux -L SOCKET`): tests start sessions
//! concurrently, and several `new-session`s racing to start the one default server
//! failed now and then ("tmux could not start a session"). A server of its own also
//! keeps a test away from the user's tmux and its configuration (`-f /dev/null`).

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a screen or a file may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(20);

/// A detached tmux session in a tmux server of its own, both killed when dropped.
pub struct Tmux {
    pub session: String,
    /// The server's socket name (`tmux -L`).
    socket: String,
    /// The socket's file, removed when dropped (tmux leaves it behind).
    socket_path: Option<String>,
}

/// Whether tmux can be run here.
pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Tmux {
    /// Starts `script` (a shell command line) in a new `width`x`height` session.
    pub fn start(name: &str, width: u16, height: u16, script: &str) -> Tmux {
        Tmux::start_with(name, width, height, script, None)
    }

    /// Starts `script` as [`Tmux::start`] does, and appends every byte the program
    /// writes to its terminal to `log` (tmux's `pipe-pane`, given in the same tmux
    /// command as the session, so before the pane's first output is read). For what a
    /// screen shows only for a moment, which a test polling the screen on a loaded
    /// machine may miss: see [`Tmux::wait_for_log`].
    pub fn start_logged(name: &str, width: u16, height: u16, script: &str, log: &Path) -> Tmux {
        Tmux::start_with(name, width, height, script, Some(log))
    }

    fn start_with(name: &str, width: u16, height: u16, script: &str, log: Option<&Path>) -> Tmux {
        let session = format!("cyberdrill-{name}-{}", std::process::id());
        let mut tmux = Tmux {
            socket: session.clone(),
            session,
            socket_path: None,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let mut command = tmux.command();
        command
            .args(["-f", "/dev/null", "new-session", "-d", "-s", &tmux.session])
            .args(["-x", &w, "-y", &h])
            .arg(script);
        if let Some(log) = log {
            let pipe = format!("cat >> '{}'", log.display());
            command.args([";", "pipe-pane", "-t", &tmux.session, &pipe]);
        }
        let started = command.output().expect("tmux starts a session");
        assert!(
            started.status.success(),
            "tmux could not start session {}: {}",
            tmux.session,
            String::from_utf8_lossy(&started.stderr).trim()
        );
        let path = tmux.run(&["display-message", "-p", "#{socket_path}"]);
        tmux.socket_path = Some(path.trim().to_string()).filter(|p| !p.is_empty());
        tmux
    }

    /// `tmux` talking to this session's own server.
    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket]);
        command
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = self
            .command()
            .args(args)
            .output()
            .expect("tmux runs once found on PATH");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Whether the program in the pane draws on the alternate screen (a full-screen
    /// interface does; a restored terminal does not).
    pub fn alternate_screen(&self) -> bool {
        let shown = self.run(&[
            "display-message",
            "-p",
            "-t",
            &self.session,
            "#{alternate_on}",
        ]);
        shown.trim() == "1"
    }

    pub fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.run(&["resize-window", "-t", &self.session, "-x", &w, "-y", &h]);
    }

    /// Waits until the screen contains every one of `texts`; fails saying which were
    /// missing, after how long, and with the screen.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            if started.elapsed() > PATIENCE {
                let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
                self.fail(
                    started,
                    &format!("waited for {texts:?} (missing {missing:?})"),
                    &screen,
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the screen satisfies `done`, and returns that screen; fails saying
    /// `what` was waited for, with the screen. For a check of a screen that has just
    /// changed, fold the check into `done`: a redraw reaches the terminal in several
    /// writes, so a screen read as soon as one part of it changed may not show the rest.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if started.elapsed() > PATIENCE {
                self.fail(started, &format!("waited for {what}"), &screen);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the terminal's output logged since the start (see
    /// [`Tmux::start_logged`]) contains every one of `texts`, escape sequences and all;
    /// fails with what was logged and the screen. Words on the screen may be written in
    /// pieces (an interface redraws only the cells that changed), so look for whole
    /// writes such as escape sequences rather than for words.
    pub fn wait_for_log(&self, log: &Path, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let bytes = std::fs::read(log).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if texts.iter().all(|t| text.contains(t)) {
                return text;
            }
            if started.elapsed() > PATIENCE {
                let what = format!("waited for {texts:?} in the terminal's output {text:?}");
                self.fail(started, &what, &self.screen());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for a file with some text in it (an exit code written by
    /// [`recording_exit`]); fails with the screen of the terminal that should write it.
    pub fn wait_for_file(&self, path: &Path) -> String {
        let started = Instant::now();
        loop {
            if let Some(text) = file_text(path) {
                return text;
            }
            if started.elapsed() > PATIENCE {
                let what = format!("waited for {} to be written", path.display());
                self.fail(started, &what, &self.screen());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Fails a wait: what was waited for, for how long, in which session, and the
    /// screen (what the program showed instead).
    fn fail(&self, started: Instant, what: &str, screen: &str) -> ! {
        panic!(
            "{what} in tmux session {} for {:.1} s; the screen shows:\n{screen}",
            self.session,
            started.elapsed().as_secs_f64()
        );
    }
}

impl Tmux {
    /// Waits until the screen shows none of `texts`; fails with the screen.
    pub fn wait_gone(&self, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if !texts.iter().any(|t| screen.contains(t)) {
                return screen;
            }
            if started.elapsed() > PATIENCE {
                self.fail(started, &format!("waited for {texts:?} to go"), &screen);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    /// Ends the session's programs (they get a hangup, as when a terminal closes) and
    /// the test's tmux server with them, and waits until they are gone: a test's scratch
    /// directory, dropped after its terminals, is then removed with nobody writing in it.
    /// The pane's shell is killed outright, so that it never runs the rest of its script
    /// (such as [`recording_exit`]'s exit file) once its program has gone.
    fn drop(&mut self) {
        let panes = self
            .command()
            .args(["list-panes", "-s", "-t", &self.session, "-F", "#{pane_pid}"])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_default();
        // Each pane's shell leads the process group of everything the pane started.
        let members: Vec<String> = panes.split_whitespace().flat_map(group_members).collect();
        for shell in panes.split_whitespace() {
            let _ = Command::new("kill").args(["-KILL", shell]).output();
        }
        let _ = self.command().arg("kill-server").output();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
        let deadline = Instant::now() + PATIENCE;
        while members.iter().any(|pid| process_alive(pid)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The processes of process group `pgid`, from `/proc` (none where there is no `/proc`).
fn group_members(pgid: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            // After the parenthesised command name: state, parent, process group.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let (_, rest) = stat.rsplit_once(')')?;
                    rest.split_whitespace().nth(2).map(|group| group == pgid)
                })
                .unwrap_or(false)
        })
        .collect()
}

/// A shell command line that runs `command`, then writes its exit code to `exit_file`
/// (and keeps the pane open so the screen can still be read).
pub fn recording_exit(command: &str, exit_file: &Path) -> String {
    format!("{command}; echo $? > '{}'; sleep 30", exit_file.display())
}

/// Waits for a file with some text in it that no terminal writes (see
/// [`Tmux::wait_for_file`] for one that a terminal's script writes).
pub fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(text) = file_text(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "waited {} s for {} to be written",
            PATIENCE.as_secs(),
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The file's text, trimmed, once it has some.
fn file_text(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// Whether a process with this pid still runs (and is not a zombie waiting for its
/// parent: a killed tmux session's programs are reparented and reaped by init).
pub fn process_alive(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state is the first field after the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z"),
        Err(_) => false,
    }
}

/// Waits for the process `pid` to end; fails if it is still running after a while.
pub fn wait_gone(pid: &str, what: &str) {
    let deadline = Instant::now() + PATIENCE;
    while process_alive(pid) {
        assert!(
            Instant::now() < deadline,
            "{what} (pid {pid}) still runs after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Tmux {
    /// Pastes `text` into the pane as a terminal would: bracketed (when the program
    /// asked for bracketed pastes) or as plain typed input.
    pub fn paste(&self, text: &str, bracketed: bool) {
        let buffer = format!("{}-paste", self.session);
        let loaded = self
            .command()
            .args(["load-buffer", "-b", &buffer, "-"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                if let Some(stdin) = child.stdin.as_mut() {
                    stdin.write_all(text.as_bytes())?;
                }
                child.wait()
            })
            .expect("tmux loads a buffer");
        assert!(loaded.success(), "tmux could not load the paste");
        let mut args = vec!["paste-buffer", "-d", "-b", &buffer, "-t", &self.session];
        if bracketed {
            args.push("-p");
        }
        self.run(&args);
    }
}
