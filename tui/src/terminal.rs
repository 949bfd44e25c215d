//! The interface on the local terminal: raw mode and the alternate screen, a thread
//! that reads the keyboard, and the ways out. The terminal is restored on every one:
//! normal return, error, Ctrl-C (a key in raw mode), panic (ratatui's hook), the signals
//! that end a program (SIGTERM, SIGHUP, SIGINT: [`SignalWatch`]), and a terminal that
//! went away without a signal (its window closed, its tmux session killed): the input
//! reaches end-of-file, which the loop notices within [`crate::interface::CHECK_EVERY`].
//!
//! The keyboard is read on its own thread with plain blocking reads, decoded by
//! [`crate::keyboard`] (on Unix; crossterm's reader on Windows). crossterm's Unix reader
//! is not used: on a hung-up terminal it retries its end-of-file read forever without
//! returning (a loop waiting in it never sees the hang-up, and spins), and after a burst
//! of more than 4 KiB of input (a paste) it stops delivering keys.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

#[cfg(not(unix))]
use crossterm::event::{self, Event};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use signal_hook::SigId;

use crate::app::App;
use crate::client::{FromSession, Seat, SessionLink, ToSession};
pub use crate::interface::Ending;
use crate::interface::{Incoming, InputEvent, Interface, Sizing};

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

/// Plays `seat` on the terminal until the player quits, an ending signal arrives or the
/// terminal goes away; restores the terminal, shuts the session down and waits for it
/// (so that its journal is complete) either way.
pub fn play(seat: impl Into<Seat>, link: SessionLink) -> io::Result<Ending> {
    let SessionLink {
        to_session,
        from_session,
        thread,
    } = link;
    let signals = SignalWatch::install()?;
    let (incoming, messages) = mpsc::channel();
    forward_session(from_session, incoming.clone());
    let mut terminal = ratatui::try_init()?;
    // Pasted text then arrives whole, not as one key press per character.
    let _ = crossterm::execute!(io::stdout(), EnableBracketedPaste);
    read_keyboard(incoming);
    let app = App::new(seat, to_session.clone()).greeting();
    let mut interface = Interface::new(app, Sizing::Backend);
    let result = crate::interface::run(&mut terminal, &mut interface, &messages, || {
        signals.received().map(Ending::Signal)
    });
    // A terminal that went away cannot be restored, and saying so would fail too.
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
    let _ = ratatui::try_restore();
    let _ = to_session.send(ToSession::Shutdown);
    if thread.join().is_err() {
        return Err(io::Error::other(
            "the exercise session stopped on an internal error",
        ));
    }
    result
}

/// Carries what the session sends into the interface's channel, then says it stopped.
fn forward_session(from_session: Receiver<FromSession>, to: Sender<Incoming>) {
    std::thread::spawn(move || {
        for message in from_session {
            if to.send(Incoming::Session(message)).is_err() {
                return;
            }
        }
        let _ = to.send(Incoming::SessionGone);
    });
}

/// Reads the keyboard on its own thread until its input ends or fails, or the interface
/// is gone. The thread is not joined: it may be blocked in a read when the interface
/// ends, and ends with the program.
#[cfg(unix)]
fn read_keyboard(to: Sender<Incoming>) {
    use std::io::Read;
    watch_resizes(to.clone());
    std::thread::spawn(move || {
        let mut decoder = crate::keyboard::KeyDecoder::default();
        // Larger than stdin's own buffer, so that reads go straight to the terminal.
        let mut buffer = vec![0u8; 16 * 1024];
        let mut events = Vec::new();
        let mut stdin = io::stdin().lock();
        loop {
            let closed = match stdin.read(&mut buffer) {
                Ok(0) => Some("the terminal went away (end of input)".to_string()),
                Ok(n) => {
                    decoder.feed(&buffer[..n], n == buffer.len(), &mut events);
                    None
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => None,
                Err(e) => Some(format!("the terminal cannot be read: {e}")),
            };
            let mut events_now = std::mem::take(&mut events);
            events_now.extend(closed.clone().map(InputEvent::Closed));
            for event in events_now {
                if to.send(Incoming::Input(event)).is_err() {
                    return;
                }
            }
            if closed.is_some() {
                return;
            }
        }
    });
}

/// Says when the terminal was resized (SIGWINCH), with its new size.
#[cfg(unix)]
fn watch_resizes(to: Sender<Incoming>) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])
    else {
        return;
    };
    std::thread::spawn(move || {
        for _ in signals.forever() {
            let Ok((width, height)) = crossterm::terminal::size() else {
                continue;
            };
            if to
                .send(Incoming::Input(InputEvent::Resize { width, height }))
                .is_err()
            {
                return;
            }
        }
    });
}

/// Reads the keyboard with crossterm (the Windows console) on its own thread.
#[cfg(not(unix))]
fn read_keyboard(to: Sender<Incoming>) {
    std::thread::spawn(move || {
        loop {
            let input = match event::read() {
                Ok(Event::Key(key)) => InputEvent::Key(key),
                Ok(Event::Paste(text)) => InputEvent::Paste(text),
                Ok(Event::Resize(width, height)) => InputEvent::Resize { width, height },
                Ok(_) => continue,
                Err(e) => InputEvent::Closed(format!("the terminal cannot be read: {e}")),
            };
            let closed = matches!(input, InputEvent::Closed(_));
            if to.send(Incoming::Input(input)).is_err() || closed {
                return;
            }
        }
    });
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
