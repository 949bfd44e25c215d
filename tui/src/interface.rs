//! One terminal interface, whatever carries its keys and whatever shows its frames.
//!
//! The interface takes [`Incoming`] messages (the player's input, from a local terminal or
//! any other source such as an SSH channel, and what the exercise session sent) and draws
//! to any ratatui [`Backend`]. It does no I/O of its own: [`run`] is the loop that waits
//! for messages on one channel, takes in everything already queued, then draws once, so
//! that a paste of thousands of characters costs one frame, not one per character.
//! [`crate::terminal`] runs it on the local terminal; a server can run one per remote
//! session, feeding the sizes its clients report through [`clamp_size`].

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;

use crate::app::App;
use crate::client::FromSession;
use crate::input::map_key;

/// The largest screen drawn: ratatui's buffers grow with the area, and a remote client
/// may claim any size (a 4000x4000 buffer takes hundreds of megabytes).
pub const MAX_WIDTH: u16 = 500;
pub const MAX_HEIGHT: u16 = 200;

/// How often [`run`] looks at its `check` while nothing arrives: the bound on how long
/// a signal or a vanished terminal goes unnoticed.
pub const CHECK_EVERY: Duration = Duration::from_millis(100);

/// At most this many queued messages are taken in before the screen is drawn again, so
/// that a flood of input still shows progress.
const BATCH: usize = 8192;

/// What the player's input source delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputEvent {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text pasted at once (a terminal's bracketed paste).
    Paste(String),
    /// The screen now has this size, in columns and rows.
    Resize { width: u16, height: u16 },
    /// The input is gone for good (end of file, a read error, a hung-up terminal, a
    /// closed channel): the interface ends.
    Closed(String),
}

/// Everything the interface waits for, on one channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Input(InputEvent),
    Session(FromSession),
    /// The session's channel closed: it stopped, and nothing more will come.
    SessionGone,
}

/// How the interface ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The player quit.
    Quit,
    /// The session could not go on (its journal could not be written, the server went
    /// away) and the player left after reading why.
    Failed(String),
    /// A signal that ends programs arrived; the conventional exit status is `128 + signal`.
    Signal(i32),
    /// The terminal (or whatever carried the player's input) went away.
    InputClosed(String),
}

/// SIGHUP's number: a terminal that went away ends the program as a hang-up would.
const SIGHUP: i32 = 1;

impl Ending {
    /// The process's exit status: 0 when the player quit, 1 when the session had
    /// failed, the shell's `128 + signal` when a signal ended the program, and 129 (as
    /// for a hang-up) when the terminal went away.
    pub fn status(&self) -> u8 {
        match self {
            Ending::Quit => 0,
            Ending::Failed(_) => 1,
            Ending::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
            Ending::InputClosed(_) => u8::try_from(128 + SIGHUP).unwrap_or(1),
        }
    }

    /// [`Self::status`] as the program's exit code.
    pub fn exit_code(&self) -> std::process::ExitCode {
        std::process::ExitCode::from(self.status())
    }

    /// Why the program ended, for stderr; `None` when the player simply quit.
    pub fn explanation(&self) -> Option<String> {
        match self {
            Ending::Quit => None,
            Ending::Failed(reason) => Some(format!("error: the exercise stopped: {reason}")),
            Ending::Signal(signal) => Some(format!(
                "stopped by {}",
                signal_hook::low_level::signal_name(*signal)
                    .map_or_else(|| format!("signal {signal}"), str::to_string)
            )),
            Ending::InputClosed(reason) => Some(format!("stopped: {reason}")),
        }
    }

    /// Says on stderr why the program ended, unless the player simply quit. A stderr
    /// that went away with the terminal is no reason to fail.
    pub fn report(&self) {
        if let Some(text) = self.explanation() {
            say(&text);
        }
    }
}

/// Writes a line to stderr, ignoring a stderr that is gone (`eprintln!` would panic on
/// a hung-up terminal).
pub fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A size reported by a client, within what the interface draws: at least 1x1, at most
/// [`MAX_WIDTH`] x [`MAX_HEIGHT`].
pub fn clamp_size(width: u16, height: u16) -> Rect {
    Rect::new(0, 0, width.clamp(1, MAX_WIDTH), height.clamp(1, MAX_HEIGHT))
}

/// Where the drawn area's size comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizing {
    /// The backend knows its size (a local terminal): ratatui asks it at every frame.
    Backend,
    /// Only [`InputEvent::Resize`] says the size (a remote client, on a terminal with a
    /// fixed viewport): each is clamped with [`clamp_size`].
    Events,
}

/// The app and what drawing it needs: whether the screen is out of date, and how many
/// frames were drawn.
pub struct Interface {
    pub app: App,
    sizing: Sizing,
    dirty: bool,
    frames: u64,
    ending: Option<Ending>,
    /// A size to apply before the next frame ([`Sizing::Events`]).
    resize_to: Option<Rect>,
}

impl Interface {
    pub fn new(app: App, sizing: Sizing) -> Interface {
        Interface {
            app,
            sizing,
            dirty: true,
            frames: 0,
            ending: None,
            resize_to: None,
        }
    }

    /// Takes in one message; the screen is redrawn at the next [`Self::draw`]. Once the
    /// interface has ended, nothing changes it any more (the session stopping after the
    /// player quit is not a failure).
    pub fn handle(&mut self, incoming: Incoming) {
        if self.ending().is_some() {
            return;
        }
        self.dirty = true;
        match incoming {
            Incoming::Session(message) => self.app.receive(message),
            Incoming::SessionGone => {
                if self.app.failure.is_none() {
                    self.app.failure = Some("the exercise session has stopped".to_string());
                }
            }
            Incoming::Input(InputEvent::Key(key)) => {
                if let Some(action) = map_key(&self.app, key) {
                    self.app.update(action);
                }
            }
            Incoming::Input(InputEvent::Paste(text)) => self.app.paste(&text),
            Incoming::Input(InputEvent::Resize { width, height }) => {
                if self.sizing == Sizing::Events {
                    self.resize_to = Some(clamp_size(width, height));
                }
            }
            Incoming::Input(InputEvent::Closed(reason)) => {
                self.ending = Some(Ending::InputClosed(reason));
            }
        }
    }

    /// How the interface ended, once it has.
    pub fn ending(&self) -> Option<Ending> {
        if let Some(ending) = &self.ending {
            return Some(ending.clone());
        }
        self.app.should_quit.then(|| match &self.app.failure {
            Some(reason) => Ending::Failed(reason.clone()),
            None => Ending::Quit,
        })
    }

    /// Ends the interface for a reason found outside it (a signal).
    pub fn end(&mut self, ending: Ending) {
        self.ending = Some(ending);
    }

    /// Frames drawn so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Draws the app if anything changed since the last frame.
    pub fn draw<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        if let Some(area) = self.resize_to.take() {
            terminal.resize(area)?;
            self.dirty = true;
        }
        if !self.dirty {
            return Ok(());
        }
        terminal.draw(|frame| crate::ui::draw(frame, &self.app))?;
        self.frames += 1;
        self.dirty = false;
        Ok(())
    }
}

/// Runs the interface until it ends: draws, waits for the next message, takes in every
/// message already queued (up to a batch), draws again. `check` is asked at every wake
/// (at least every [`CHECK_EVERY`]) whether something outside ends the interface (a
/// signal, a terminal that went away). A channel whose senders are all gone ends it too.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    interface: &mut Interface,
    incoming: &Receiver<Incoming>,
    mut check: impl FnMut() -> Option<Ending>,
) -> Result<Ending, B::Error> {
    loop {
        if let Some(ending) = check() {
            interface.end(ending);
        }
        if let Some(ending) = interface.ending() {
            return Ok(ending);
        }
        interface.draw(terminal)?;
        match incoming.recv_timeout(CHECK_EVERY) {
            Ok(message) => interface.handle(message),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => {
                interface.end(Ending::InputClosed(
                    "the interface's input and session both went away".to_string(),
                ));
                continue;
            }
        }
        for message in incoming.try_iter().take(BATCH) {
            interface.handle(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use crossterm::event::{KeyCode, KeyModifiers};
    use cyberdrill_engine::command::Actor;
    use ratatui::backend::TestBackend;
    use ratatui::{TerminalOptions, Viewport};

    use super::*;
    use crate::app::{Action, Modal};
    use crate::client::ToSession;
    use crate::fixture;
    use crate::forms::Field;

    /// The facilitator with the broadcast form open, its text field focused.
    fn broadcasting() -> (Interface, mpsc::Receiver<ToSession>) {
        let (tx, rx) = mpsc::channel();
        let mut app = App::new(Actor::Facilitator, tx);
        app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
        app.update(Action::Broadcast);
        (Interface::new(app, Sizing::Backend), rx)
    }

    fn typed(interface: &Interface) -> String {
        match &interface.app.modal {
            Modal::Form(form) => match &form.fields[form.focus] {
                Field::Text { value, .. } => value.clone(),
                other => panic!("focus on {other:?}"),
            },
            other => panic!("expected the form, got {other:?}"),
        }
    }

    fn key(ch: char) -> Incoming {
        Incoming::Input(InputEvent::Key(KeyEvent::new(
            KeyCode::Char(ch),
            KeyModifiers::NONE,
        )))
    }

    #[test]
    fn five_thousand_typed_characters_fill_the_field_to_its_limit_in_one_frame() {
        let (mut interface, _rx) = broadcasting();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
        let (tx, messages) = mpsc::channel();
        for _ in 0..5000 {
            tx.send(key('x')).expect("queued");
        }
        tx.send(Incoming::Input(InputEvent::Closed("test over".into())))
            .expect("queued");
        let ending = run(&mut terminal, &mut interface, &messages, || None).expect("runs");
        assert_eq!(ending, Ending::InputClosed("test over".into()));
        assert_eq!(typed(&interface), "x".repeat(500));
        // The first frame, before the keys; the 5,000 keys were taken in as one batch.
        assert_eq!(interface.frames(), 1);
    }

    #[test]
    fn a_paste_is_cut_at_the_field_limit_at_once() {
        let (mut interface, _rx) = broadcasting();
        let paste = "line one\nline two ".repeat(10_000);
        interface.handle(Incoming::Input(InputEvent::Paste(paste)));
        let text = typed(&interface);
        assert_eq!(text.chars().count(), 500);
        assert!(text.starts_with("line one line two line one"), "{text}");
        // Pasting into a full field changes nothing.
        interface.handle(Incoming::Input(InputEvent::Paste("more".into())));
        assert_eq!(typed(&interface).chars().count(), 500);
    }

    #[test]
    fn the_session_stopping_after_the_player_quit_is_no_failure() {
        let (mut interface, _rx) = broadcasting();
        interface.handle(Incoming::Input(InputEvent::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        ))));
        interface.handle(Incoming::SessionGone);
        assert_eq!(interface.ending(), Some(Ending::Quit));
    }

    #[test]
    fn the_interface_ends_when_its_input_and_session_are_gone() {
        let (mut interface, _rx) = broadcasting();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
        let (tx, messages) = mpsc::channel::<Incoming>();
        drop(tx);
        let ending = run(&mut terminal, &mut interface, &messages, || None).expect("runs");
        assert!(matches!(ending, Ending::InputClosed(_)), "{ending:?}");
        assert_eq!(ending.status(), 129);
    }

    #[test]
    fn a_signal_found_by_the_check_ends_the_interface() {
        let (mut interface, _rx) = broadcasting();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
        let (_tx, messages) = mpsc::channel::<Incoming>();
        let ending = run(&mut terminal, &mut interface, &messages, || {
            Some(Ending::Signal(15))
        })
        .expect("runs");
        assert_eq!(ending, Ending::Signal(15));
        assert_eq!(ending.status(), 143);
    }

    #[test]
    fn sizes_reported_by_a_client_are_clamped() {
        let (mut interface, _rx) = broadcasting();
        interface.sizing = Sizing::Events;
        let mut terminal = Terminal::with_options(
            TestBackend::new(MAX_WIDTH, MAX_HEIGHT),
            TerminalOptions {
                viewport: Viewport::Fixed(clamp_size(80, 24)),
            },
        )
        .expect("test terminal");
        interface.handle(Incoming::Input(InputEvent::Resize {
            width: 4000,
            height: 4000,
        }));
        interface.draw(&mut terminal).expect("draws");
        let area = terminal.get_frame().area();
        assert_eq!((area.width, area.height), (MAX_WIDTH, MAX_HEIGHT));
        interface.handle(Incoming::Input(InputEvent::Resize {
            width: 0,
            height: 0,
        }));
        interface.draw(&mut terminal).expect("draws a 1x1 screen");
        let area = terminal.get_frame().area();
        assert_eq!((area.width, area.height), (1, 1));
    }
}
