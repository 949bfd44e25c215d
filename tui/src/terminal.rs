//! The event loop on a real terminal: draw when something changed, map keys to actions,
//! take in whatever the session sent. The terminal is restored on every way out: normal
//! return, error, Ctrl-C (a key in raw mode) and panic (ratatui's hook).

use std::io;
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use crossterm::event::{self, Event};
use cyberdrill_engine::command::Actor;

use crate::app::App;
use crate::client::ToSession;
use crate::input::map_key;
use crate::session::SessionLink;

/// How long to wait for input before looking at the session's messages again.
const POLL: Duration = Duration::from_millis(30);

/// Plays `seat` on the terminal until the player quits; joins the session thread.
pub fn play(seat: Actor, link: SessionLink) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, seat, &link);
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
) -> io::Result<()> {
    let mut app = App::new(seat, link.to_session.clone());
    let mut dirty = true;
    while !app.should_quit {
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
    Ok(())
}
