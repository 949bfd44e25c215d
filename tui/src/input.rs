//! The one place keys become [`Action`]s. What a key means depends on what is open:
//! a form takes typed text, a picker takes arrows, the screens take shortcuts.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{Action, App, Modal, Screen};

/// The action a key press means in the app's current state, if any.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('C'))
    {
        return Some(Action::ForceQuit);
    }
    match &app.modal {
        Modal::Form(form) => map_form_key(form.typing(), key),
        Modal::Picker(_) => map_list_key(key),
        Modal::Help => Some(match key.code {
            KeyCode::Char('q') => Action::AskQuit,
            _ => Action::Back,
        }),
        Modal::ConfirmQuit => match key.code {
            KeyCode::Char('y' | 'Y' | 'q') | KeyCode::Enter => Some(Action::ConfirmQuit),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::Back),
            _ => None,
        },
        Modal::None => map_screen_key(app, key),
    }
}

fn map_form_key(typing: bool, key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Esc => Action::Back,
        KeyCode::Enter => Action::Activate,
        KeyCode::Tab | KeyCode::Down => Action::NextField,
        KeyCode::BackTab | KeyCode::Up => Action::PrevField,
        KeyCode::Backspace if typing => Action::Backspace,
        KeyCode::Char(ch) if typing => Action::Type(ch),
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Char(' ') => Action::Toggle,
        _ => return None,
    })
}

fn map_list_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Action::Back,
        KeyCode::Enter => Action::Activate,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        _ => return None,
    })
}

fn map_screen_key(app: &App, key: KeyEvent) -> Option<Action> {
    let facilitator = app.is_facilitator();
    Some(match key.code {
        KeyCode::Tab | KeyCode::Right => Action::NextScreen,
        KeyCode::BackTab | KeyCode::Left => Action::PrevScreen,
        KeyCode::Char(digit @ '1'..='6') => {
            let at = digit as usize - '1' as usize;
            Action::GoTo(*app.screens().get(at)?)
        }
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Enter => Action::Activate,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('?') => Action::ShowHelp,
        KeyCode::Char('q') => Action::AskQuit,
        KeyCode::Char(' ') => Action::TogglePause,
        KeyCode::Char('n') => Action::Step,
        KeyCode::Char('+' | '=') if facilitator => Action::Faster,
        KeyCode::Char('-') if facilitator => Action::Slower,
        KeyCode::Char('t') if facilitator => Action::ToggleTurnBased,
        KeyCode::Char('r') if facilitator && app.screen == Screen::Facilitator => {
            Action::WriteReport
        }
        KeyCode::Char('m') => Action::Compose,
        KeyCode::Char('f') if facilitator => Action::FireInject,
        KeyCode::Char('e') if facilitator => Action::EditInject,
        KeyCode::Char('b') if facilitator => Action::Broadcast,
        KeyCode::Char('v') if facilitator => Action::SwitchView,
        _ => return None,
    })
}

/// Keys of the current screen for the help overlay: (keys, what they do).
pub fn help_for(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![
        ("Tab / ←→ / 1-6", "switch screen"),
        ("↑↓ / j k", "move the selection"),
        ("space", "pause / resume the clock"),
        ("n", "step one tick (ready, when turn-based)"),
        ("m", "write a message"),
        ("?", "this help"),
        ("q", "quit (asks first); Ctrl-C quits at once"),
    ];
    if app.is_facilitator() {
        keys.extend([
            ("+ / -", "faster / slower real-time pace"),
            ("t", "turn-based pace on / off"),
            ("v", "see the exercise as any team"),
            ("b", "broadcast to everyone"),
        ]);
    }
    keys.extend(match app.screen {
        Screen::Overview => vec![("↑↓", "select an economy; the lists scroll")],
        Screen::Infrastructure if !app.is_facilitator() => {
            vec![("Enter", "restore the selected asset")]
        }
        Screen::Infrastructure => vec![],
        Screen::Incidents => vec![("Enter", "act on the selected incident")],
        Screen::Actions => vec![
            ("Enter", "open the form of the selected action"),
            ("in a form: ↑↓ Tab", "move between fields"),
            ("in a form: ←→", "choose an entry / change a number"),
            ("in a form: space", "tick an entry of a list"),
            ("in a form: Enter / Esc", "send / cancel"),
        ],
        Screen::Comms => vec![("Enter / m", "write in the selected channel")],
        Screen::Facilitator => vec![
            ("f / Enter", "fire the selected inject"),
            ("e", "edit the selected inject"),
            ("r", "report so far (HTML), journal verified"),
        ],
    });
    keys
}
