//! The event loop on a real terminal: draw when something changed, map keys to actions,
//! take in whatever the session sent. The terminal is restored on every way out: normal
//! return, error, Ctrl-C (a key in raw mode), panic (ratatui's hook) and the signals
//! that end a program (SIGTERM, SIGHUP, SIGINT: [`SignalWatch`]).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use crossterm::event::{self, Event};
use cyberdrill_engine::command::Actor;
use signal_hook::SigId;

use crate::app::App;
use crate::client::SessionLink;
use crate::client::ToSession;
use crate::input::map_key;

/// How long to wait for input before looking at the session's messages again.
const POLL: Duration = Duration::from_millis(30);

/// Signals that end the interface the way quitting does (terminal restored, session shut
/// down; a journal is already on disk): a terminal closed (SIGHUP), `kill` or a service
/// manager (SIGTERM), Ctrl-C from outside raw mode or `kill -INT` (SIGINT).
#[cfg(unix)]
pub const ENDING_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];
#[cfg(not(unix))]
pub const ENDING_SIGNALS: [i32; 2] = [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];

/// How the interface ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The player quit.
    Quit,
    /// The session could not go on (its journal could not be written, the server went
    /// away) and the player left after reading why.
    Failed(String),
    /// One of [`ENDING_SIGNALS`] arrived; the conventional exit status is `128 + signal`.
    Signal(i32),
}

impl Ending {
    /// The process's exit status: 0 when the player quit, 1 when the session had
    /// failed, the shell's `128 + signal` when a signal ended the program.
    pub fn status(&self) -> u8 {
        match self {
            Ending::Quit => 0,
            Ending::Failed(_) => 1,
            Ending::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
        }
    }

    /// [`Self::status`] as the program's exit code.
    pub fn exit_code(&self) -> std::process::ExitCode {
        std::process::ExitCode::from(self.status())
    }

    /// Says on stderr why the program ended, unless the player simply quit.
    pub fn report(&self) {
        match self {
            Ending::Quit => {}
            Ending::Failed(reason) => eprintln!("error: the exercise stopped: {reason}"),
            Ending::Signal(signal) => {
                let name = signal_hook::low_level::signal_name(*signal)
                    .map_or_else(|| format!("signal {signal}"), str::to_string);
                eprintln!("stopped by {name}");
            }
        }
    }
}

/// Catches [`ENDING_SIGNALS`] while the interface owns the terminal, so that the event
/// loop can end cleanly instead of the process dying with the terminal in raw mode. A
/// second signal while the first is being handled ends the process at once (status
/// `128 + signal`), in case shutting down ever hangs.
pub struct SignalWatch {
    /// The last signal received, 0 for none.
    received: Arc<AtomicUsize>,
    ids: Vec<SigId>,
}

impl SignalWatch {
    /// Starts catching the signals (until dropped).
    pub fn install() -> io::Result<Self> {
        let received = Arc::new(AtomicUsize::new(0));
        let mut watch = SignalWatch {
            received: Arc::clone(&received),
            ids: Vec::new(),
        };
        // Armed by the first ending signal, whichever it is.
        let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in ENDING_SIGNALS {
            // signal-hook runs a signal's actions in registration order: the emergency
            // exit only fires when an earlier signal already armed it.
            watch
                .ids
                .push(signal_hook::flag::register_conditional_shutdown(
                    signal,
                    128 + signal,
                    Arc::clone(&armed),
                )?);
            watch
                .ids
                .push(signal_hook::flag::register(signal, Arc::clone(&armed))?);
            watch.ids.push(signal_hook::flag::register_usize(
                signal,
                Arc::clone(&received),
                signal as usize,
            )?);
        }
        Ok(watch)
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Plays `seat` on the terminal until the player quits or an ending signal arrives;
/// restores the terminal and joins the session thread either way.
pub fn play(seat: Actor, link: SessionLink) -> io::Result<Ending> {
    let signals = SignalWatch::install()?;
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, seat, &link, &signals);
    ratatui::restore();
    let _ = link.to_session.send(ToSession::Shutdown);
    if link.thread.join().is_err() {
        return Err(io::Error::other(
            "the exercise session stopped on an internal error",
        ));
    }
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    seat: Actor,
    link: &SessionLink,
    signals: &SignalWatch,
) -> io::Result<Ending> {
    let mut app = App::new(seat, link.to_session.clone());
    let mut dirty = true;
    while !app.should_quit {
        if let Some(signal) = signals.received() {
            return Ok(Ending::Signal(signal));
        }
        loop {
            match link.from_session.try_recv() {
                Ok(message) => {
                    app.receive(message);
                    dirty = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if app.failure.is_none() {
                        app.failure = Some("the exercise session has stopped".to_string());
                        dirty = true;
                    }
                    break;
                }
            }
        }
        if dirty {
            terminal.draw(|frame| crate::ui::draw(frame, &app))?;
            dirty = false;
        }
        if event::poll(POLL)? {
            match event::read()? {
                Event::Key(key) => {
                    if let Some(action) = map_key(&app, key) {
                        app.update(action);
                    }
                    dirty = true;
                }
                Event::Resize(_, _) => dirty = true,
                _ => {}
            }
        }
    }
    Ok(match app.failure {
        Some(reason) => Ending::Failed(reason),
        None => Ending::Quit,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_hangup_is_caught_and_named_instead_of_killing_the_program() {
        let watch = SignalWatch::install().expect("signal handlers install");
        assert_eq!(watch.received(), None);
        // Without the watch, SIGHUP's default action would end this test process.
        signal_hook::low_level::raise(signal_hook::consts::SIGHUP).expect("raise");
        assert_eq!(watch.received(), Some(signal_hook::consts::SIGHUP));
    }
}
