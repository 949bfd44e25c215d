//! The interface's state and its one `update` function (the Elm shape): input becomes
//! [`Action`]s (see [`crate::input`]), `update` changes the state or sends a message
//! to the session, and the `draw` functions of [`crate::ui`] only read the state.

use std::collections::BTreeMap;
use std::sync::mpsc::Sender;

use cyberdrill_engine::command::{Actor, Recipient};
use cyberdrill_engine::scenario::model::{EconomyIdx, TeamIdx};
use cyberdrill_engine::view::{MessageView, View};

use crate::client::{FromSession, Pace, SessionStatus, ToSession};
use crate::forms::{
    CommandKind, FACILITATOR_COMMANDS, Form, INCIDENT_COMMANDS, Prefill, TEAM_COMMANDS,
};
use crate::host::clock;

/// The screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Overview,
    Infrastructure,
    Incidents,
    Actions,
    Comms,
    Facilitator,
}

impl Screen {
    /// A shorter title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            Screen::Infrastructure => "Infra",
            Screen::Facilitator => "Console",
            other => other.title(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Screen::Overview => "Overview",
            Screen::Infrastructure => "Infrastructure",
            Screen::Incidents => "Incidents",
            Screen::Actions => "Actions",
            Screen::Comms => "Comms",
            Screen::Facilitator => "Facilitator",
        }
    }
}

/// A conversation thread on the Communications screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    /// Broadcasts and messages to everyone.
    All,
    Facilitator,
    Team(TeamIdx),
    Economy(EconomyIdx),
}

impl Channel {
    /// The recipient a new message in this channel goes to.
    pub fn recipient(self) -> Recipient {
        match self {
            Channel::All => Recipient::All,
            Channel::Facilitator => Recipient::Facilitator,
            Channel::Team(t) => Recipient::Team(t),
            Channel::Economy(e) => Recipient::Economy(e),
        }
    }
}

/// Which thread a message belongs to, seen from `viewer`.
pub fn channel_of(message: &MessageView, viewer: Actor) -> Channel {
    match message.to {
        Recipient::All => Channel::All,
        Recipient::Economy(e) => Channel::Economy(e),
        Recipient::Facilitator => match (viewer, message.from) {
            (Actor::Facilitator, Actor::Team(t)) => Channel::Team(t),
            _ => Channel::Facilitator,
        },
        Recipient::Team(to) => {
            let other = if viewer == Actor::Team(to) {
                message.from
            } else {
                Actor::Team(to)
            };
            match (viewer, other) {
                (Actor::Facilitator, Actor::Facilitator) => Channel::Team(to),
                (_, Actor::Facilitator) => Channel::Facilitator,
                (_, Actor::Team(t)) => Channel::Team(t),
            }
        }
    }
}

/// A list picker over a modal: actions for a selected incident, or whom to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub entries: Vec<(String, PickerEntry)>,
    pub selected: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerEntry {
    Open(CommandKind, Prefill),
    Watch(Actor),
}

/// What is drawn over the screen, taking the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    None,
    Help,
    ConfirmQuit,
    Picker(Picker),
    Form(Form),
}

/// Something that happened to one of our commands, shown in the status line and on the
/// Actions screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub accepted: bool,
    pub text: String,
}

/// Every input, as a meaning rather than a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextScreen,
    PrevScreen,
    GoTo(Screen),
    Up,
    Down,
    Left,
    Right,
    /// Enter: open the selection, choose the entry, send the form.
    Activate,
    /// Esc: close whatever is open.
    Back,
    /// Space inside a form: tick an entry.
    Toggle,
    NextField,
    PrevField,
    Type(char),
    Backspace,
    ShowHelp,
    AskQuit,
    ConfirmQuit,
    /// Ctrl-C: leave at once.
    ForceQuit,
    TogglePause,
    Step,
    Faster,
    Slower,
    ToggleTurnBased,
    /// Facilitator: write the after-action report of the exercise so far.
    WriteReport,
    /// Write a message in the selected channel.
    Compose,
    /// Facilitator: fire the selected inject.
    FireInject,
    /// Facilitator: edit the selected inject.
    EditInject,
    /// Facilitator: broadcast to everyone.
    Broadcast,
    /// Facilitator: choose whose view to see.
    SwitchView,
}

/// Selections on each screen (indices into the lists the screens show).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selections {
    /// Economy selected on the Overview (index into the view's economies); its list and
    /// the sector grid scroll to keep it on screen.
    pub economy: usize,
    pub asset: usize,
    pub incident: usize,
    pub command: usize,
    pub channel: usize,
    pub inject: usize,
}

/// The whole client-side state: the seat, the latest views received, the session's
/// status, the screen and its selections, and what has been read.
pub struct App {
    /// Who this interface plays.
    pub seat: Actor,
    /// The seat's own view, as last received.
    pub view: Option<View>,
    /// The facilitator's chosen perspective, when watching a team.
    pub watched: Option<View>,
    pub status: SessionStatus,
    pub screen: Screen,
    pub modal: Modal,
    pub selected: Selections,
    /// Messages read per channel (counts, as messages only accumulate).
    pub read: BTreeMap<Channel, usize>,
    /// Outcomes of our commands, newest last.
    pub notices: Vec<Notice>,
    /// The session failed; shown instead of carrying on silently.
    pub failure: Option<String>,
    pub should_quit: bool,
    outbox: Sender<ToSession>,
}

impl App {
    pub fn new(seat: Actor, outbox: Sender<ToSession>) -> App {
        App {
            seat,
            view: None,
            watched: None,
            status: SessionStatus::initial(seat),
            screen: Screen::Overview,
            modal: Modal::None,
            selected: Selections::default(),
            read: BTreeMap::new(),
            notices: Vec::new(),
            failure: None,
            should_quit: false,
            outbox,
        }
    }

    pub fn is_facilitator(&self) -> bool {
        self.seat == Actor::Facilitator
    }

    /// The view the screens show: the watched team's, or the seat's own.
    pub fn shown(&self) -> Option<&View> {
        self.watched.as_ref().or(self.view.as_ref())
    }

    /// Tabs offered to this seat.
    pub fn screens(&self) -> &'static [Screen] {
        if self.is_facilitator() {
            &[
                Screen::Overview,
                Screen::Infrastructure,
                Screen::Incidents,
                Screen::Actions,
                Screen::Comms,
                Screen::Facilitator,
            ]
        } else {
            &[
                Screen::Overview,
                Screen::Infrastructure,
                Screen::Incidents,
                Screen::Actions,
                Screen::Comms,
            ]
        }
    }

    /// Commands this seat can compose, in the Actions screen's order.
    pub fn commands(&self) -> &'static [CommandKind] {
        if self.is_facilitator() {
            &FACILITATOR_COMMANDS
        } else {
            &TEAM_COMMANDS
        }
    }

    /// Channels of the Communications screen, in display order.
    pub fn channels(&self) -> Vec<Channel> {
        let Some(view) = self.view.as_ref() else {
            return vec![Channel::All];
        };
        let mut out = vec![Channel::All];
        if !self.is_facilitator() {
            out.push(Channel::Facilitator);
        }
        out.extend(
            view.teams
                .iter()
                .filter(|t| Some(t.idx) != view.my_team)
                .map(|t| Channel::Team(t.idx)),
        );
        out.extend(view.economies.iter().map(|e| Channel::Economy(e.idx)));
        out
    }

    /// Messages of one channel, oldest first.
    pub fn messages_in(&self, channel: Channel) -> Vec<&MessageView> {
        match self.view.as_ref() {
            Some(view) => view
                .messages
                .iter()
                .filter(|m| channel_of(m, self.seat) == channel)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Messages per channel, counted in one pass over the view's messages.
    pub fn message_counts(&self) -> BTreeMap<Channel, usize> {
        let mut counts = BTreeMap::new();
        if let Some(view) = self.view.as_ref() {
            for message in &view.messages {
                *counts.entry(channel_of(message, self.seat)).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Unread messages per channel.
    pub fn unread_counts(&self) -> BTreeMap<Channel, usize> {
        let mut counts = self.message_counts();
        for (channel, count) in counts.iter_mut() {
            *count = count.saturating_sub(self.read.get(channel).copied().unwrap_or(0));
        }
        counts
    }

    pub fn unread(&self, channel: Channel) -> usize {
        self.unread_counts().get(&channel).copied().unwrap_or(0)
    }

    /// Unread messages in the channels this seat lists.
    pub fn unread_total(&self) -> usize {
        let counts = self.unread_counts();
        self.channels()
            .iter()
            .map(|c| counts.get(c).copied().unwrap_or(0))
            .sum()
    }

    pub fn selected_channel(&self) -> Channel {
        let channels = self.channels();
        channels
            .get(self.selected.channel.min(channels.len().saturating_sub(1)))
            .copied()
            .unwrap_or(Channel::All)
    }

    /// Indices into `shown().assets` in the Infrastructure screen's order: by economy,
    /// then sector, then asset (a team sees only its own economy's assets listed).
    pub fn asset_order(&self) -> Vec<usize> {
        let Some(view) = self.shown() else {
            return Vec::new();
        };
        let mine = crate::forms::my_economy(view);
        let mut order: Vec<usize> = (0..view.assets.len())
            .filter(|&i| mine.is_none_or(|e| view.assets[i].economy == e))
            .collect();
        order.sort_by_key(|&i| {
            let a = &view.assets[i];
            (a.economy, a.sector, a.idx)
        });
        order
    }

    fn send(&mut self, message: ToSession) {
        if self.outbox.send(message).is_err() {
            self.failure = Some("the exercise session has stopped".to_string());
        }
    }

    /// Takes in one message from the session.
    pub fn receive(&mut self, message: FromSession) {
        match message {
            FromSession::View(view) => {
                self.view = Some(*view);
                if self.status.watching == self.seat {
                    self.watched = None;
                }
                self.clamp_selections();
                self.mark_channel_read_if_shown();
            }
            FromSession::Watched(view) => {
                self.watched = Some(*view);
                self.clamp_selections();
            }
            FromSession::Status(status) => {
                if status.watching == self.seat {
                    self.watched = None;
                }
                self.status = status;
            }
            FromSession::Outcome(outcome) => self.notices.push(match outcome.result {
                Ok(message) => Notice {
                    accepted: true,
                    text: format!("{}: {message}", outcome.label),
                },
                Err(refusal) => Notice {
                    accepted: false,
                    text: format!("{} refused: {refusal}", outcome.label),
                },
            }),
            FromSession::Notice(text) => self.notices.push(Notice {
                accepted: true,
                text,
            }),
            FromSession::Failed(reason) => self.failure = Some(reason),
        }
    }

    fn clamp_selections(&mut self) {
        let assets = self.asset_order().len();
        let incidents = self.shown().map_or(0, |v| v.incidents.len());
        let injects = self.view.as_ref().map_or(0, |v| v.injects.len());
        let channels = self.channels().len();
        let economies = self.shown().map_or(0, |v| v.economies.len());
        let s = &mut self.selected;
        s.economy = s.economy.min(economies.saturating_sub(1));
        s.asset = s.asset.min(assets.saturating_sub(1));
        s.incident = s.incident.min(incidents.saturating_sub(1));
        s.inject = s.inject.min(injects.saturating_sub(1));
        s.channel = s.channel.min(channels.saturating_sub(1));
    }

    fn mark_channel_read_if_shown(&mut self) {
        if self.screen == Screen::Comms && self.modal == Modal::None {
            let channel = self.selected_channel();
            let count = self.messages_in(channel).len();
            self.read.insert(channel, count);
        }
    }

    /// Applies one action: the only place the state changes in response to input.
    pub fn update(&mut self, action: Action) {
        match std::mem::replace(&mut self.modal, Modal::None) {
            Modal::None => self.update_screen(action),
            Modal::Help => self.update_help(action),
            Modal::ConfirmQuit => self.update_confirm(action),
            Modal::Picker(picker) => self.update_picker(picker, action),
            Modal::Form(form) => self.update_form(form, action),
        }
        self.mark_channel_read_if_shown();
    }

    fn update_help(&mut self, action: Action) {
        match action {
            Action::Back | Action::ShowHelp | Action::Activate => {}
            Action::ForceQuit => self.should_quit = true,
            Action::AskQuit => self.modal = Modal::ConfirmQuit,
            _ => self.modal = Modal::Help,
        }
    }

    fn update_confirm(&mut self, action: Action) {
        match action {
            Action::ConfirmQuit | Action::ForceQuit => self.quit(),
            Action::Back => {}
            _ => self.modal = Modal::ConfirmQuit,
        }
    }

    fn quit(&mut self) {
        self.should_quit = true;
        self.send(ToSession::Shutdown);
    }

    fn update_picker(&mut self, mut picker: Picker, action: Action) {
        let len = picker.entries.len();
        match action {
            Action::Up => picker.selected = picker.selected.saturating_sub(1),
            Action::Down => picker.selected = (picker.selected + 1).min(len.saturating_sub(1)),
            Action::Back => return,
            Action::ForceQuit => {
                self.quit();
                return;
            }
            Action::Activate => {
                match picker.entries.get(picker.selected).map(|(_, e)| *e) {
                    Some(PickerEntry::Open(kind, prefill)) => self.open_form(kind, prefill),
                    Some(PickerEntry::Watch(actor)) => {
                        self.send(ToSession::Watch(actor));
                        self.status.watching = actor;
                        if actor == self.seat {
                            self.watched = None;
                        }
                    }
                    None => {}
                }
                return;
            }
            _ => {}
        }
        self.modal = Modal::Picker(picker);
    }

    fn update_form(&mut self, mut form: Form, action: Action) {
        // Borrowed, not cloned: a key press must not cost a copy of the whole view.
        let Some(view) = self.view.as_ref() else {
            return;
        };
        match action {
            Action::Back => return,
            Action::ForceQuit => {
                self.quit();
                return;
            }
            Action::Up | Action::PrevField => form.prev_field(),
            Action::Down | Action::NextField => form.next_field(),
            Action::Left => form.change(false, view),
            Action::Right => form.change(true, view),
            Action::Toggle => form.toggle(),
            Action::Type(ch) => form.type_char(ch),
            Action::Backspace => form.backspace(),
            Action::Activate => match form.command() {
                Ok(command) => {
                    let actor = self.seat;
                    self.send(ToSession::Submit { actor, command });
                    return;
                }
                Err(problem) => form.problem = Some(problem),
            },
            _ => {}
        }
        self.modal = Modal::Form(form);
    }

    /// Takes in pasted text: into the focused text field of an open form, cut at the
    /// field's limit at once; anywhere else a paste means nothing.
    pub fn paste(&mut self, text: &str) {
        if let Modal::Form(form) = &mut self.modal {
            form.paste(text);
        }
    }

    /// Opens the form for `kind`, filled from the seat's own view.
    pub fn open_form(&mut self, kind: CommandKind, prefill: Prefill) {
        if let Some(view) = self.view.as_ref() {
            self.modal = Modal::Form(Form::new(kind, view, prefill));
        }
    }

    fn update_screen(&mut self, action: Action) {
        match action {
            Action::NextScreen => self.cycle_screen(true),
            Action::PrevScreen => self.cycle_screen(false),
            Action::GoTo(screen) if self.screens().contains(&screen) => self.screen = screen,
            Action::Up => self.move_selection(false),
            Action::Down => self.move_selection(true),
            Action::Activate => self.activate(),
            Action::ShowHelp => self.modal = Modal::Help,
            Action::AskQuit => self.modal = Modal::ConfirmQuit,
            Action::ForceQuit => self.quit(),
            Action::TogglePause => {
                // Pausing never changes the pace: resuming goes on at the same one.
                self.status.paused = !self.status.paused;
                self.send(if self.status.paused {
                    ToSession::Pause
                } else {
                    ToSession::Resume
                });
            }
            Action::Step => {
                if self.status.pace == Pace::TurnBased && !self.is_facilitator() {
                    self.send(ToSession::Ready);
                } else {
                    self.send(ToSession::Step);
                }
            }
            Action::WriteReport => self.send(ToSession::Report),
            Action::Faster => self.set_pace(clock::faster(self.status.pace)),
            Action::Slower => self.set_pace(clock::slower(self.status.pace)),
            Action::ToggleTurnBased => {
                let pace = if self.status.pace == Pace::TurnBased {
                    Pace::RealTime {
                        millis_per_tick: clock::DEFAULT_REAL_MS,
                    }
                } else {
                    Pace::TurnBased
                };
                self.set_pace(pace);
            }
            Action::Compose => {
                let recipient = Some(self.selected_channel().recipient());
                self.open_form(
                    CommandKind::Message,
                    Prefill {
                        recipient,
                        ..Prefill::default()
                    },
                );
            }
            Action::FireInject | Action::EditInject if self.is_facilitator() => {
                let inject = self
                    .view
                    .as_ref()
                    .and_then(|v| v.injects.get(self.selected.inject))
                    .map(|i| i.idx);
                let kind = if action == Action::FireInject {
                    CommandKind::FireInject
                } else {
                    CommandKind::EditInject
                };
                self.open_form(
                    kind,
                    Prefill {
                        inject,
                        ..Prefill::default()
                    },
                );
            }
            Action::Broadcast if self.is_facilitator() => {
                self.open_form(CommandKind::Broadcast, Prefill::default())
            }
            Action::SwitchView if self.is_facilitator() => self.open_watch_picker(),
            _ => {}
        }
    }

    fn set_pace(&mut self, pace: Pace) {
        self.status.pace = pace;
        self.send(ToSession::SetPace(pace));
    }

    fn cycle_screen(&mut self, forward: bool) {
        let screens = self.screens();
        let at = screens.iter().position(|s| *s == self.screen).unwrap_or(0);
        let next = if forward {
            (at + 1) % screens.len()
        } else {
            (at + screens.len() - 1) % screens.len()
        };
        self.screen = screens[next];
    }

    fn move_selection(&mut self, down: bool) {
        let len = match self.screen {
            Screen::Overview => self.shown().map_or(0, |v| v.economies.len()),
            Screen::Infrastructure => self.asset_order().len(),
            Screen::Incidents => self.shown().map_or(0, |v| v.incidents.len()),
            Screen::Actions => self.commands().len(),
            Screen::Comms => self.channels().len(),
            Screen::Facilitator => self.view.as_ref().map_or(0, |v| v.injects.len()),
        };
        let s = &mut self.selected;
        let slot = match self.screen {
            Screen::Overview => &mut s.economy,
            Screen::Infrastructure => &mut s.asset,
            Screen::Incidents => &mut s.incident,
            Screen::Actions => &mut s.command,
            Screen::Comms => &mut s.channel,
            Screen::Facilitator => &mut s.inject,
        };
        *slot = if down {
            (*slot + 1).min(len.saturating_sub(1))
        } else {
            slot.saturating_sub(1)
        };
    }

    fn activate(&mut self) {
        match self.screen {
            Screen::Incidents if !self.is_facilitator() => self.open_incident_picker(),
            Screen::Infrastructure if !self.is_facilitator() => {
                let asset = self
                    .asset_order()
                    .get(self.selected.asset)
                    .and_then(|&i| self.shown().map(|v| v.assets[i].idx));
                if asset.is_some() {
                    self.open_form(
                        CommandKind::Restore,
                        Prefill {
                            asset,
                            ..Prefill::default()
                        },
                    );
                }
            }
            Screen::Actions => {
                if let Some(&kind) = self.commands().get(self.selected.command) {
                    self.open_form(kind, Prefill::default());
                }
            }
            Screen::Comms => self.update_screen(Action::Compose),
            Screen::Facilitator => self.update_screen(Action::FireInject),
            _ => {}
        }
    }

    fn open_incident_picker(&mut self) {
        let Some(incident) = self
            .shown()
            .and_then(|v| v.incidents.get(self.selected.incident))
        else {
            return;
        };
        let prefill = Prefill {
            incident: Some(incident.id),
            asset: Some(incident.asset),
            ..Prefill::default()
        };
        let mut entries: Vec<(String, PickerEntry)> = INCIDENT_COMMANDS
            .iter()
            .map(|&k| (k.label().to_string(), PickerEntry::Open(k, prefill)))
            .collect();
        entries.push((
            "restore the asset".to_string(),
            PickerEntry::Open(CommandKind::Restore, prefill),
        ));
        self.modal = Modal::Picker(Picker {
            title: format!("Act on incident #{}", incident.id.0),
            entries,
            selected: 0,
        });
    }

    fn open_watch_picker(&mut self) {
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let mut entries = vec![(
            "Facilitator (everything)".to_string(),
            PickerEntry::Watch(Actor::Facilitator),
        )];
        entries.extend(
            view.teams
                .iter()
                .map(|t| (t.name.clone(), PickerEntry::Watch(Actor::Team(t.idx)))),
        );
        self.modal = Modal::Picker(Picker {
            title: "See the exercise as".to_string(),
            entries,
            selected: 0,
        });
    }
}
