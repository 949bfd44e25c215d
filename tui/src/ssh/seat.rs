//! One SSH session's seat: the terminal interface, run on the server, between the
//! player's channel and the host.
//!
//! The same [`Interface`] as `play` and `join` takes the keys decoded from the channel's
//! bytes ([`KeyDecoder`]), the sizes the client reports (clamped by the interface), and
//! what the host sends through the seat's [`Bridge`]; it draws with ratatui's crossterm
//! backend into a buffer whose bytes go down the channel after each frame (only the
//! cells that changed). What the interface asks goes back through the bridge to the
//! host as the seat's protocol messages, so the host applies the same permissions and
//! journals the same records as for a `join` client. One task per seat; nothing blocks.

use std::io::Write;
use std::net::IpAddr;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};

use crate::app::App;
use crate::client::{FromSession, ToSession};
use crate::host::clock;
use crate::interface::{Ending, Incoming, InputEvent, Interface, Sizing, clamp_size};
use crate::keyboard::KeyDecoder;
use crate::net::bridge::Bridge;
use crate::net::server::{Outgoing, Seated};

/// What the SSH connection hands the seat's task.
#[derive(Debug)]
pub enum SeatInput {
    /// Bytes the player's terminal sent (keys, pastes).
    Data(Vec<u8>),
    /// The client's window now has this many columns and rows.
    Resize { width: u16, height: u16 },
    /// The channel or the connection closed.
    Closed,
}

/// Limits of one seat's task.
#[derive(Debug, Clone, Copy)]
pub struct SeatLimits {
    /// A seat where nobody pressed a key for this long is closed (the seat is freed and
    /// the code rejoins).
    pub idle: Duration,
    /// A client that takes longer than this to take a frame is dropped as too slow.
    pub write_timeout: Duration,
}

/// The seat as welcomed by the host: its protocol connection and what the welcome said.
pub struct Welcomed {
    pub seated: Seated,
    pub bridge: Bridge,
}

/// Where the seat's output goes: the channel of one SSH session.
pub struct Channel {
    pub handle: Handle,
    pub id: ChannelId,
}

/// The bytes the crossterm backend writes, taken after each frame.
#[derive(Clone, Default)]
struct ScreenBytes(Arc<Mutex<Vec<u8>>>);

impl ScreenBytes {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for ScreenBytes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Most messages taken in before the screen is drawn again.
const BATCH: usize = 512;

/// Why the seat's task ended, said to the player after the screen is restored.
enum Exit {
    /// The player quit (Ctrl-C, `q`): exit status 0.
    Quit,
    /// The exercise is over, the seat was taken over, or the seat failed: exit status 1,
    /// with the reason.
    Stopped(String),
    /// The client is gone: nothing to say.
    Gone,
    /// The client took no screen output for the write timeout: dropped, said on the
    /// server's console (the player's terminal is not reading).
    TooSlow,
}

/// Runs the interface for one seat until the player quits, the client goes away, the
/// seat is taken over or the exercise ends; then frees the seat (the same code rejoins).
pub async fn run(
    welcomed: Welcomed,
    channel: Channel,
    size: (u16, u16),
    mut input: mpsc::Receiver<SeatInput>,
    limits: SeatLimits,
    peer: IpAddr,
) {
    let Welcomed {
        mut seated,
        mut bridge,
    } = welcomed;
    let screen = ScreenBytes::default();
    let backend = CrosstermBackend::new(screen.clone());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(clamp_size(size.0, size.1)),
    };
    let Ok(mut terminal) = Terminal::with_options(backend, options) else {
        seated.close().await;
        return;
    };
    let mut out = screen.clone();
    // Pasted text then arrives whole, not as one key press per character.
    let _ = crossterm::queue!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    );
    let (to_session, requests) = std_mpsc::channel::<ToSession>();
    let mut interface = Interface::new(App::new(bridge.seat(), to_session), Sizing::Events);
    interface.handle(Incoming::Session(FromSession::Status(
        bridge.session_status(),
    )));
    let mut decoder = KeyDecoder::default();
    let mut idle_until = Instant::now() + limits.idle;
    let exit = loop {
        if interface.draw(&mut terminal).is_err() {
            break Exit::Gone;
        }
        match send(&channel, screen.take(), limits.write_timeout).await {
            Sent::Taken => {}
            Sent::Gone => break Exit::Gone,
            Sent::TooSlow => break Exit::TooSlow,
        }
        if let Some(ending) = interface.ending() {
            break match ending {
                Ending::Quit => Exit::Quit,
                Ending::Failed(reason) => Exit::Stopped(reason),
                Ending::InputClosed(_) | Ending::Signal(_) => Exit::Gone,
            };
        }
        let mut taken = 0;
        tokio::select! {
            frame = seated.frames.recv() => {
                if let Some(exit) = take_frame(frame, &mut bridge, &mut interface) {
                    break exit;
                }
                taken += 1;
            }
            event = input.recv() => {
                idle_until = Instant::now() + limits.idle;
                if take_input(event, &mut decoder, &mut interface) {
                    break Exit::Gone;
                }
                taken += 1;
            }
            () = seated.kick.cancelled() => {
                break Exit::Stopped(
                    "your connection fell too far behind the exercise and was closed: \
                     connect again with the same code"
                        .to_string(),
                );
            }
            () = sleep_until(idle_until) => {
                break Exit::Stopped(format!(
                    "nobody pressed a key for {}, so the seat was freed: connect again \
                     with the same code",
                    clock::duration_label(
                        u64::try_from(limits.idle.as_millis()).unwrap_or(u64::MAX)
                    )
                ));
            }
        }
        // Everything already queued is taken in before the next frame.
        let mut stop = None;
        while taken < BATCH {
            if let Ok(event) = input.try_recv() {
                idle_until = Instant::now() + limits.idle;
                if take_input(Some(event), &mut decoder, &mut interface) {
                    stop = Some(Exit::Gone);
                    break;
                }
            } else if let Some(frame) = seated.frames.try_recv() {
                if let Some(exit) = take_frame(Some(frame), &mut bridge, &mut interface) {
                    stop = Some(exit);
                    break;
                }
            } else {
                break;
            }
            taken += 1;
        }
        if let Some(exit) = stop {
            break exit;
        }
        // What the interface asked goes to the host as this seat's protocol messages.
        let mut shutdown = false;
        let asked: Vec<ToSession> = requests.try_iter().collect();
        for request in asked {
            if request == ToSession::Shutdown {
                shutdown = true;
                continue;
            }
            let (msgs, local) = bridge.server_msgs(request);
            if let Some(update) = local {
                interface.handle(Incoming::Session(update));
            }
            for msg in msgs {
                if !seated.send(msg).await {
                    interface.handle(Incoming::SessionGone);
                }
            }
        }
        if shutdown && interface.ending().is_none() {
            interface.end(Ending::Quit);
        }
    };
    seated.close().await;
    if let Exit::TooSlow = exit {
        let _ = writeln!(
            std::io::stdout(),
            "ssh: dropped a seat's connection from {peer}: its client took no screen output \
             for {} (too slow or not reading); the same code joins again",
            clock::duration_label(
                u64::try_from(limits.write_timeout.as_millis()).unwrap_or(u64::MAX)
            )
        );
    }
    say_goodbye(&channel, &mut out, &screen, exit, limits.write_timeout).await;
}

/// Takes one frame from the host into the interface; the exit when the seat is over.
fn take_frame(
    frame: Option<Outgoing>,
    bridge: &mut Bridge,
    interface: &mut Interface,
) -> Option<Exit> {
    match frame {
        Some(Outgoing::Frame(frame)) => {
            if let crate::net::protocol::ServerMsg::Replaced { reason } = &frame.msg {
                return Some(Exit::Stopped(reason.clone()));
            }
            match bridge.interface_update(frame.msg.clone()) {
                Ok(Some(update)) => interface.handle(Incoming::Session(update)),
                Ok(None) => {}
                Err(reason) => return Some(Exit::Stopped(reason)),
            }
            // The player cannot download it: whoever runs the server finds it here.
            if let Some(path) = bridge.take_written_report() {
                let _ = writeln!(
                    std::io::stdout(),
                    "ssh: the report asked for at an SSH seat is written to {}",
                    path.display()
                );
            }
            None
        }
        Some(Outgoing::Close) | None => Some(Exit::Stopped(if bridge.ended() {
            "the exercise is over: thank you for playing".to_string()
        } else {
            "the exercise server closed this seat: connect again with the same code".to_string()
        })),
    }
}

/// Takes one input event into the interface; `true` when the client is gone.
fn take_input(
    event: Option<SeatInput>,
    decoder: &mut KeyDecoder,
    interface: &mut Interface,
) -> bool {
    match event {
        Some(SeatInput::Data(bytes)) => {
            let mut events = Vec::new();
            decoder.feed(&bytes, false, &mut events);
            for event in events {
                interface.handle(Incoming::Input(event));
            }
            false
        }
        Some(SeatInput::Resize { width, height }) => {
            interface.handle(Incoming::Input(InputEvent::Resize { width, height }));
            false
        }
        Some(SeatInput::Closed) | None => true,
    }
}

/// What became of bytes sent down the channel.
enum Sent {
    Taken,
    /// The connection is closed.
    Gone,
    /// The client did not take them within the write timeout.
    TooSlow,
}

/// Sends bytes down the channel, waiting at most `limit` for the client to take them.
async fn send(channel: &Channel, bytes: Vec<u8>, limit: Duration) -> Sent {
    if bytes.is_empty() {
        return Sent::Taken;
    }
    match timeout(limit, channel.handle.data(channel.id, bytes)).await {
        Ok(Ok(())) => Sent::Taken,
        Ok(Err(_)) => Sent::Gone,
        Err(_) => Sent::TooSlow,
    }
}

/// Restores the player's terminal, says why the seat ended, and closes the channel
/// with an exit status (0 when the player quit), so that `ssh` returns to the shell.
async fn say_goodbye(
    channel: &Channel,
    out: &mut ScreenBytes,
    screen: &ScreenBytes,
    exit: Exit,
    limit: Duration,
) {
    let (status, text) = match exit {
        Exit::Gone | Exit::TooSlow => return,
        Exit::Quit => (
            0,
            "left the exercise: the same code joins again\r\n".to_string(),
        ),
        Exit::Stopped(reason) => (1, format!("{reason}\r\n")),
    };
    let _ = crossterm::queue!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.write_all(text.as_bytes());
    if let Sent::Taken = send(channel, screen.take(), limit).await {
        let _ = channel.handle.exit_status_request(channel.id, status).await;
        let _ = channel.handle.eof(channel.id).await;
        let _ = channel.handle.close(channel.id).await;
    }
}
