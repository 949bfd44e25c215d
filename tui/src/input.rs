//! Every key binding in one table ([`BINDINGS`]), as gitui keeps its key config: the
//! table drives dispatch ([`map_key`]), the help overlay ([`help_rows`]), the status
//! line's hints ([`hints`]) and the README's key table ([`readme_keys`], checked by a
//! test), so that none of them can drift from what the keys do.
//!
//! What a key means depends on what is open: a form takes typed text, a list picker
//! takes arrows, a page scrolls, the screens take shortcuts. Bindings of the screen on
//! show come before those of every screen, so a screen can give a key its own meaning.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{Action, App, Modal, PageKind, Screen};
use crate::client::Seek;

/// A key as the table names it: a key code, with Ctrl or without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub const fn ch(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
        }
    }

    pub const fn code(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// Whether a key press is this key. Shift is part of the character (`?`, `Y`); Alt
    /// makes another key.
    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if event.modifiers.contains(KeyModifiers::ALT) || ctrl != self.ctrl {
            return false;
        }
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if self.ctrl => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }

    /// The key's name as the help and the README write it.
    pub fn name(self) -> String {
        match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) if self.ctrl => format!("Ctrl-{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            other => format!("{other:?}"),
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On every screen, with nothing open over it.
    Screens,
    /// On one screen, with nothing open over it.
    Screen(Screen),
    /// In a command form.
    Form,
    /// In a list picker (an incident's actions, whom to watch).
    Picker,
    /// On a page over the screens (the briefing, the results).
    Page,
    /// On the discussion page (a module's questions, the hot wash).
    Discussion,
    /// In the help overlay.
    Help,
    /// In the quit question.
    Confirm,
}

impl Scope {
    /// Where it applies, in words, for the README.
    pub fn words(self) -> String {
        match self {
            Scope::Screens => "every screen".to_string(),
            Scope::Screen(screen) => screen.title().to_string(),
            Scope::Form => "a form".to_string(),
            Scope::Picker => "a list".to_string(),
            Scope::Page => "briefing, results".to_string(),
            Scope::Discussion => "discussion".to_string(),
            Scope::Help => "help".to_string(),
            Scope::Confirm => "quit question".to_string(),
        }
    }
}

/// Which seats a binding is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anyone,
    /// Seats that act: teams and the facilitator (not evaluators, who observe).
    Acting,
    /// A team's seat.
    Team,
    /// The facilitator (white cell).
    Facilitator,
    /// Those who see the whole exercise: the facilitator and evaluators.
    WhiteCell,
    /// An evaluator's seat.
    Evaluator,
    /// Anyone watching a recorded exercise (`replay --watch`), who can act on nothing.
    Replay,
}

impl Who {
    fn allows(self, app: &App) -> bool {
        let replaying = app.replay.is_some();
        match self {
            Who::Replay => replaying,
            // A recording cannot be changed: only seeing it as any team remains.
            Who::Acting | Who::Team | Who::Facilitator | Who::Evaluator if replaying => false,
            Who::Anyone => true,
            Who::Acting => !app.is_evaluator(),
            Who::Team => !app.is_facilitator(),
            Who::Facilitator => app.directs(),
            Who::WhiteCell => app.is_facilitator(),
            Who::Evaluator => app.is_evaluator(),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Who::Anyone => "",
            Who::Acting => "teams, facilitator",
            Who::Team => "teams",
            Who::Facilitator => "facilitator",
            Who::WhiteCell => "facilitator, evaluators",
            Who::Evaluator => "evaluators",
            Who::Replay => "replay --watch",
        }
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written when their names would not say it well (`1`-`7`).
    pub label: Option<&'static str>,
    pub action: Action,
    pub scope: Scope,
    pub who: Who,
    /// What the keys do, for the help and the README.
    pub does: &'static str,
    /// A word or two for the status line's hints; `None`: not hinted.
    pub hint: Option<&'static str>,
}

impl Binding {
    /// The keys as the help writes them, e.g. `Tab / →`.
    pub fn keys_label(&self) -> String {
        match self.label {
            Some(label) => label.to_string(),
            None => self
                .keys
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(" / "),
        }
    }
}

const fn bind(
    keys: &'static [Key],
    action: Action,
    scope: Scope,
    who: Who,
    does: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label: None,
        action,
        scope,
        who,
        does,
        hint,
    }
}

const DIGITS: [Key; 9] = [
    Key::ch('1'),
    Key::ch('2'),
    Key::ch('3'),
    Key::ch('4'),
    Key::ch('5'),
    Key::ch('6'),
    Key::ch('7'),
    Key::ch('8'),
    Key::ch('9'),
];

const UP: [Key; 2] = [Key::code(KeyCode::Up), Key::ch('k')];
const DOWN: [Key; 2] = [Key::code(KeyCode::Down), Key::ch('j')];

use Scope::{Confirm, Discussion, Form, Help, Page, Picker, Screens};
use Who::{Acting, Anyone, Evaluator, Facilitator, Replay, Team, WhiteCell};

/// Every key binding. Order matters only within a scope: the first row that matches wins.
pub const BINDINGS: &[Binding] = &[
    // Watching a recorded exercise: first, so that the status line hints them first.
    bind(
        &[Key::ch('n'), Key::ch('.')],
        Action::Seek(Seek::Forward),
        Screens,
        Replay,
        "a tick forward",
        Some("next tick"),
    ),
    bind(
        &[Key::ch('b'), Key::ch(',')],
        Action::Seek(Seek::Back),
        Screens,
        Replay,
        "a tick back",
        Some("back"),
    ),
    bind(
        &[Key::ch('e')],
        Action::Seek(Seek::NextMoment),
        Screens,
        Replay,
        "to the next tick at which something happened (a command, an inject, an attack, a detection)",
        Some("next event"),
    ),
    bind(
        &[Key::ch('E')],
        Action::Seek(Seek::PreviousMoment),
        Screens,
        Replay,
        "to the last tick before this one at which something happened",
        None,
    ),
    bind(
        &[Key::ch('t')],
        Action::JumpToTick,
        Screens,
        Replay,
        "go to a tick (type its number)",
        Some("go to tick"),
    ),
    bind(
        &[Key::code(KeyCode::Home)],
        Action::Seek(Seek::To(0)),
        Screens,
        Replay,
        "to the start (tick 0)",
        None,
    ),
    bind(
        &[Key::code(KeyCode::End)],
        Action::Seek(Seek::To(u32::MAX)),
        Screens,
        Replay,
        "to the last tick recorded",
        None,
    ),
    // On every screen.
    bind(
        &[Key::code(KeyCode::Tab), Key::code(KeyCode::Right)],
        Action::NextScreen,
        Screens,
        Anyone,
        "next screen",
        None,
    ),
    bind(
        &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Left)],
        Action::PrevScreen,
        Screens,
        Anyone,
        "previous screen",
        None,
    ),
    Binding {
        keys: &DIGITS,
        label: Some("1-9"),
        // The screen's number comes from the digit pressed (see `map_key`).
        action: Action::GoToTab(0),
        scope: Screens,
        who: Anyone,
        does: "go to screen N (the numbers in the tab bar)",
        hint: None,
    },
    bind(
        &UP,
        Action::Up,
        Screens,
        Anyone,
        "move the selection up",
        None,
    ),
    bind(
        &DOWN,
        Action::Down,
        Screens,
        Anyone,
        "move the selection down",
        None,
    ),
    bind(
        &[Key::code(KeyCode::PageUp), Key::code(KeyCode::PageDown)],
        Action::PageDown,
        Screens,
        Anyone,
        "scroll the text on show (news, inject) by a page",
        None,
    ),
    bind(
        &[Key::ch('i')],
        Action::ShowBriefing,
        Screens,
        Anyone,
        "the briefing: scenario, your role, objectives (after the end: the results)",
        Some("briefing"),
    ),
    bind(
        &[Key::ch('g')],
        Action::ShowMap,
        Screens,
        Anyone,
        "the map: economies, their health and loss, who depends on whom across borders",
        Some("map"),
    ),
    bind(
        &[Key::ch('?')],
        Action::ShowHelp,
        Screens,
        Anyone,
        "the keys of this screen",
        Some("help"),
    ),
    bind(
        &[Key::ch(' ')],
        Action::TogglePause,
        Screens,
        Acting,
        "pause / resume the clock (the pace is kept)",
        Some("pause"),
    ),
    bind(
        &[Key::ch('n')],
        Action::Step,
        Screens,
        Acting,
        "step one tick (a team in turn-based pace: say it is ready)",
        Some("step"),
    ),
    bind(
        &[Key::ch('m')],
        Action::Compose,
        Screens,
        Acting,
        "write a message (on Comms: in the selected channel)",
        Some("message"),
    ),
    bind(
        &[Key::ch('+'), Key::ch('=')],
        Action::Faster,
        Screens,
        Facilitator,
        "faster real-time pace",
        Some("faster"),
    ),
    bind(
        &[Key::ch('-')],
        Action::Slower,
        Screens,
        Facilitator,
        "slower real-time pace",
        Some("slower"),
    ),
    bind(
        &[Key::ch('t')],
        Action::ToggleTurnBased,
        Screens,
        Facilitator,
        "turn-based pace on / off",
        Some("turns"),
    ),
    bind(
        &[Key::ch('v')],
        Action::SwitchView,
        Screens,
        WhiteCell,
        "see the exercise as any team",
        Some("view as"),
    ),
    bind(
        &[Key::ch('b')],
        Action::Broadcast,
        Screens,
        Facilitator,
        "broadcast to everyone",
        Some("broadcast"),
    ),
    bind(
        &[Key::ch('a')],
        Action::Advance,
        Screens,
        Facilitator,
        "jump the clock some ticks at once (stops at a module's end)",
        Some("jump"),
    ),
    bind(
        &[Key::ch('x')],
        Action::EndSession,
        Screens,
        Facilitator,
        "end the session for everyone (after the hot wash; asks first)",
        None,
    ),
    bind(
        &[Key::ch('w')],
        Action::WriteNote,
        Screens,
        Evaluator,
        "write a note about a team, an objective or the exercise (for the report)",
        Some("note"),
    ),
    bind(
        &[Key::ch('d')],
        Action::ShowDiscussion,
        Screens,
        Anyone,
        "the discussion open now (questions, feedback)",
        None,
    ),
    bind(
        &[Key::ch('q')],
        Action::AskQuit,
        Screens,
        Anyone,
        "quit (asks first)",
        Some("quit"),
    ),
    bind(
        &[Key::ctrl('c')],
        Action::ForceQuit,
        Screens,
        Anyone,
        "quit at once (anywhere, also in a form)",
        None,
    ),
    // One screen each.
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Overview),
        Anyone,
        "where the selected economy's money went: by cause, sector and asset",
        Some("detail"),
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Assets),
        Team,
        "restore the selected asset",
        Some("restore"),
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Incidents),
        Team,
        "act on the selected incident (investigate, contain, share, …)",
        Some("act"),
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Actions),
        Anyone,
        "open the selected action's form",
        Some("open"),
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Comms),
        Acting,
        "write in the selected channel",
        Some("write"),
    ),
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Scope::Screen(Screen::Decisions),
        Team,
        "choose the selected option of an open decision (a form asks to confirm)",
        Some("choose"),
    ),
    bind(
        &[Key::code(KeyCode::Enter), Key::ch('f')],
        Action::FireInject,
        Scope::Screen(Screen::Control),
        Facilitator,
        "fire the selected inject now",
        Some("fire"),
    ),
    bind(
        &[Key::ch('e')],
        Action::EditInject,
        Scope::Screen(Screen::Control),
        Facilitator,
        "edit the selected inject's headline and text",
        Some("edit"),
    ),
    bind(
        &[Key::ch('r')],
        Action::WriteReport,
        Scope::Screen(Screen::Control),
        WhiteCell,
        "write the after-action report so far (HTML, from the verified journal)",
        Some("report"),
    ),
    // In a form.
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Form,
        Anyone,
        "send",
        Some("send"),
    ),
    bind(
        &[Key::code(KeyCode::Esc)],
        Action::Back,
        Form,
        Anyone,
        "cancel",
        Some("cancel"),
    ),
    bind(
        &[
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::Down),
            Key::code(KeyCode::BackTab),
            Key::code(KeyCode::Up),
        ],
        Action::NextField,
        Form,
        Anyone,
        "next / previous field",
        Some("field"),
    ),
    bind(
        &[
            Key::code(KeyCode::Left),
            Key::code(KeyCode::Right),
            Key::ch('h'),
            Key::ch('l'),
        ],
        Action::Right,
        Form,
        Anyone,
        "choose from the list, or change the number",
        Some("choose"),
    ),
    bind(
        &[Key::ch(' ')],
        Action::Toggle,
        Form,
        Anyone,
        "tick or untick the entry (lists of several)",
        Some("tick"),
    ),
    bind(
        &[Key::code(KeyCode::Backspace)],
        Action::Backspace,
        Form,
        Anyone,
        "delete the last character (text fields take what you type or paste)",
        None,
    ),
    // In a list picker.
    bind(
        &[Key::code(KeyCode::Enter)],
        Action::Activate,
        Picker,
        Anyone,
        "choose",
        Some("choose"),
    ),
    bind(
        &[Key::code(KeyCode::Esc), Key::ch('q')],
        Action::Back,
        Picker,
        Anyone,
        "close",
        Some("close"),
    ),
    bind(&UP, Action::Up, Picker, Anyone, "up", None),
    bind(&DOWN, Action::Down, Picker, Anyone, "down", None),
    // On a page.
    bind(&UP, Action::Up, Page, Anyone, "scroll up", None),
    bind(&DOWN, Action::Down, Page, Anyone, "scroll down", None),
    bind(
        &[Key::code(KeyCode::PageUp)],
        Action::PageUp,
        Page,
        Anyone,
        "a page up",
        None,
    ),
    bind(
        &[Key::code(KeyCode::PageDown), Key::ch(' ')],
        Action::PageDown,
        Page,
        Anyone,
        "a page down",
        Some("more"),
    ),
    bind(
        &[
            Key::code(KeyCode::Enter),
            Key::code(KeyCode::Esc),
            Key::ch('i'),
        ],
        Action::Back,
        Page,
        Anyone,
        "close the page",
        Some("close"),
    ),
    bind(
        &[Key::ch('q')],
        Action::AskQuit,
        Page,
        Anyone,
        "quit (asks first)",
        None,
    ),
    // On the discussion page.
    bind(
        &[Key::ch('a')],
        Action::Answer,
        Discussion,
        Acting,
        "answer a question (your answer goes into the report)",
        Some("answer"),
    ),
    bind(
        &[Key::ch('f')],
        Action::GiveFeedback,
        Discussion,
        Acting,
        "the feedback form (at the hot wash)",
        Some("feedback"),
    ),
    bind(&UP, Action::Up, Discussion, Anyone, "scroll up", None),
    bind(&DOWN, Action::Down, Discussion, Anyone, "scroll down", None),
    bind(
        &[Key::code(KeyCode::PageUp), Key::code(KeyCode::PageDown)],
        Action::PageDown,
        Discussion,
        Anyone,
        "a page up / down",
        None,
    ),
    bind(
        &[
            Key::code(KeyCode::Enter),
            Key::code(KeyCode::Esc),
            Key::ch('d'),
        ],
        Action::Back,
        Discussion,
        Anyone,
        "close the page (d opens it again)",
        Some("close"),
    ),
    // In the help.
    bind(&UP, Action::Up, Help, Anyone, "scroll up", None),
    bind(&DOWN, Action::Down, Help, Anyone, "scroll down", None),
    bind(
        &[Key::ch('q')],
        Action::AskQuit,
        Help,
        Anyone,
        "quit (asks first)",
        None,
    ),
    Binding {
        keys: &[],
        label: Some("any other key"),
        action: Action::Back,
        scope: Help,
        who: Anyone,
        does: "close the help",
        hint: Some("closes"),
    },
    // In the quit question.
    bind(
        &[
            Key::ch('y'),
            Key::ch('Y'),
            Key::ch('q'),
            Key::code(KeyCode::Enter),
        ],
        Action::ConfirmQuit,
        Confirm,
        Anyone,
        "quit",
        Some("quit"),
    ),
    bind(
        &[Key::ch('n'), Key::ch('N'), Key::code(KeyCode::Esc)],
        Action::Back,
        Confirm,
        Anyone,
        "stay",
        Some("stay"),
    ),
];

/// The scope of what is open now.
pub fn scope_of(app: &App) -> Scope {
    match &app.modal {
        Modal::None => Scope::Screen(app.screen),
        Modal::Form(_) => Scope::Form,
        Modal::Picker(_) => Scope::Picker,
        Modal::Page(page) if page.kind == PageKind::Discussion => Scope::Discussion,
        Modal::Page(_) => Scope::Page,
        Modal::Help(_) => Scope::Help,
        Modal::ConfirmQuit => Scope::Confirm,
    }
}

/// The bindings that apply now, most specific first: the screen's own, then every
/// screen's; in an overlay, the overlay's (a page lets the other keys through to the
/// screens, so that reading the briefing never blocks the game).
pub fn active_bindings(app: &App) -> impl Iterator<Item = &'static Binding> + '_ {
    bindings_of(app, true)
}

fn bindings_of(app: &App, fall_through: bool) -> impl Iterator<Item = &'static Binding> + '_ {
    let scope = scope_of(app);
    let scopes: [Option<Scope>; 2] = match scope {
        Scope::Screen(_) => [Some(scope), Some(Scope::Screens)],
        Scope::Page | Scope::Discussion if fall_through => [Some(scope), Some(Scope::Screens)],
        other => [Some(other), None],
    };
    scopes.into_iter().flatten().flat_map(move |scope| {
        BINDINGS
            .iter()
            .filter(move |b| b.scope == scope && b.who.allows(app))
    })
}

/// The action a key press means in the app's current state, if any.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if Key::ctrl('c').matches(&key) {
        return Some(Action::ForceQuit);
    }
    if let Modal::Form(form) = &app.modal
        && form.typing()
        && let Some(action) = typed(&key)
    {
        return Some(action);
    }
    for binding in active_bindings(app) {
        if let Some(pressed) = binding.keys.iter().find(|k| k.matches(&key)) {
            return Some(resolve(binding, *pressed));
        }
    }
    match &app.modal {
        Modal::Help(_) => Some(Action::Back),
        _ => None,
    }
}

/// In a text field, characters are typed and Backspace deletes; other keys (Enter,
/// Esc, the arrows) keep their form meaning.
fn typed(key: &KeyEvent) -> Option<Action> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(Action::Type(c)),
        _ => None,
    }
}

/// The action of a binding for the key pressed: digits choose a tab, and rows that
/// bind opposite keys (previous/next, left/right, page up/down) take the direction
/// from the key.
fn resolve(binding: &Binding, pressed: Key) -> Action {
    match (binding.action, pressed.code) {
        (Action::GoToTab(_), KeyCode::Char(digit)) => {
            let n = digit.to_digit(10).unwrap_or(1).saturating_sub(1);
            Action::GoToTab(u8::try_from(n).unwrap_or(0))
        }
        (Action::NextField, KeyCode::BackTab | KeyCode::Up) => Action::PrevField,
        (Action::Right, KeyCode::Left | KeyCode::Char('h')) => Action::Left,
        (Action::PageDown, KeyCode::PageUp) => Action::PageUp,
        (action, _) => action,
    }
}

/// Rows of the help overlay for what is on show: (keys, what they do).
pub fn help_rows(app: &App) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    let screen = Scope::Screen(app.screen);
    for scope in [screen, Scope::Screens] {
        for binding in BINDINGS
            .iter()
            .filter(|b| b.scope == scope && b.who.allows(app))
        {
            rows.push((binding.keys_label(), binding.does));
        }
    }
    rows
}

/// The status line's hints for what is open: `? help · q quit · space pause`.
pub fn hints(app: &App) -> String {
    hint_line(bindings_of(app, false))
}

/// The hints of the keys only this seat's role has (the facilitator's pacing and
/// broadcast keys, for the Control screen's clock panel).
pub fn seat_hints(app: &App) -> String {
    hint_line(BINDINGS.iter().filter(|b| {
        b.scope == Scope::Screens
            && !matches!(b.who, Who::Anyone | Who::Acting)
            && b.who.allows(app)
    }))
}

/// The hints of one scope's bindings, whoever the seat (a form's bottom line).
pub fn scope_hints(scope: Scope) -> String {
    hint_line(BINDINGS.iter().filter(|b| b.scope == scope))
}

fn hint_line<'a>(bindings: impl Iterator<Item = &'a Binding>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut parts = Vec::new();
    for binding in bindings {
        let Some(hint) = binding.hint else { continue };
        if seen.contains(&hint) {
            continue;
        }
        seen.push(hint);
        let key = binding
            .keys
            .first()
            .map_or_else(|| binding.keys_label(), |k| k.name());
        parts.push(format!("{key} {hint}"));
    }
    parts.join(" · ")
}

/// The README's key table, from [`BINDINGS`]: one row per binding, with where it
/// applies and for whom.
pub fn readme_keys() -> String {
    let mut out = String::from("| key | where | does |\n|---|---|---|\n");
    for binding in BINDINGS {
        let keys = match binding.label {
            Some(label) => format!("`{label}`"),
            None => binding
                .keys
                .iter()
                .map(|k| format!("`{}`", k.name()))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let mut scope = binding.scope.words();
        let who = binding.who.words();
        if !who.is_empty() {
            scope = format!("{scope} ({who})");
        }
        out.push_str(&format!("| {keys} | {scope} | {} |\n", binding.does));
    }
    out
}
