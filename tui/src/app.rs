//! The interface's state and its one `update` function (the Elm shape): input becomes
//! [`Action`]s (see [`crate::input`]), `update` changes the state or sends a message
//! to the session, and the `draw` functions of [`crate::ui`] only read the state. Each
//! screen keeps its own state (its selection, what was read, how far its text is
//! scrolled) in its module under [`crate::ui`], as ratatui's demo tabs do.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::mpsc::Sender;

use cyberdrill_engine::command::{Actor, Recipient};
use cyberdrill_engine::names;
use cyberdrill_engine::scenario::model::{EconomyIdx, Role, TeamIdx};
use cyberdrill_engine::view::{MessageView, View};

use crate::client::{FromSession, Pace, ReplayPosition, Seat, Seek, SessionStatus, ToSession};
use crate::digest::{Alert, Digest, Snapshot};
use crate::forms::{self, CommandKind, FACILITATOR_COMMANDS, Form, Prefill};
use crate::host::clock;
use crate::ui::{actions, assets, comms, control, decisions, incidents, news, overview};

/// The screens, in tab order. Each has one name, the same on its tab, in its help and
/// in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Overview,
    News,
    Assets,
    Incidents,
    Actions,
    Comms,
    Control,
    Decisions,
}

impl Screen {
    /// Every screen, in the white cell's tab order.
    pub const ALL: [Screen; 8] = [
        Screen::Overview,
        Screen::News,
        Screen::Assets,
        Screen::Incidents,
        Screen::Actions,
        Screen::Comms,
        Screen::Control,
        Screen::Decisions,
    ];

    /// A team's screens, in tab order (no Control).
    pub const TEAM: [Screen; 7] = [
        Screen::Overview,
        Screen::News,
        Screen::Assets,
        Screen::Incidents,
        Screen::Actions,
        Screen::Comms,
        Screen::Decisions,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Overview => "Overview",
            Screen::News => "News",
            Screen::Assets => "Assets",
            Screen::Incidents => "Incidents",
            Screen::Actions => "Actions",
            Screen::Comms => "Comms",
            Screen::Control => "Control",
            Screen::Decisions => "Decisions",
        }
    }

    /// What the screen shows, for the README's screen table.
    pub fn about(self) -> &'static str {
        match self {
            Screen::Overview => {
                "every economy's status, trust, service and loss (with its share of the economy's output for the exercise) with sparklines; what changed since the last tick; objectives with their trend; service by sector; the selected economy's loss in context and by cause, what moved its trust, what raised its readiness pillars (training, capacity-building assistance), its costliest sectors and assets and, in a scenario with spam, the spam that reached its people, who answered and the providers' filtering (beside the grid from 100 columns, else its loss in context under the economies); `Enter` opens where the money went: every sector and costliest asset with its share of output"
            }
            Screen::News => {
                "every inject delivered to you, newest first, unread ones marked `●`, the selected one in full with its sender and channel"
            }
            Screen::Assets => {
                "your assets by sector with service bars; the selected asset's dependencies, `⇄` cross-border, and what its outage costs: output lost a tick while down, and over the whole exercise as a share of its economy's output"
            }
            Screen::Incidents => {
                "incidents you know of: severity, stage, response, new ones marked; `Enter` to act on one"
            }
            Screen::Actions => {
                "every command you can send (`Enter` opens its form), engine replies, tasks with progress and analysts"
            }
            Screen::Comms => {
                "channels (everyone, facilitator, each team, each economy) with unread counts `✉`; timeline of news and messages"
            }
            Screen::Control => {
                "facilitator only: clock and pace, who is at the table, injects with their trigger, recipients, text and effects (fire, edit), campaigns"
            }
            Screen::Decisions => {
                "decision points put to your team (open ones marked `◆` in the tab): each option with its stated effects (a ransom option with the sum it pays and its share of the economy's output), the deadline and default; `Enter` to choose (the white cell: every decision offered, key `8`)"
            }
        }
    }
}

/// The README's screen table, from [`Screen::ALL`]: name, key, what it shows.
pub fn readme_screens() -> String {
    let mut out = String::from("| screen | key | what it shows |\n|---|---|---|\n");
    for screen in Screen::ALL {
        // A team's key where a team has the screen, else the white cell's.
        let key = Screen::TEAM
            .iter()
            .chain(Screen::ALL.iter())
            .position(|s| *s == screen)
            .map_or(0, |i| i % Screen::TEAM.len() + 1);
        out.push_str(&format!(
            "| {} | `{key}` | {} |\n",
            screen.title(),
            screen.about()
        ));
    }
    out
}

/// A conversation thread on the Comms screen.
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

/// `a`, `a and b`, `a, b and c`.
fn and_list<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let words: Vec<&str> = words.collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
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

/// The selected row of a list; the list's length is the screen's to know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub at: usize,
}

impl Cursor {
    pub fn up(&mut self, by: usize) {
        self.at = self.at.saturating_sub(by);
    }

    pub fn down(&mut self, by: usize, len: usize) {
        self.at = (self.at + by).min(len.saturating_sub(1));
    }

    /// Keeps the selection inside a list that may have shrunk.
    pub fn clamp(&mut self, len: usize) {
        self.at = self.at.min(len.saturating_sub(1));
    }
}

/// How far a text is scrolled. Only drawing knows how long the text is once wrapped:
/// it records the furthest offset that still shows text ([`Scroll::fit`]), so that
/// scrolling down stops at the end instead of running past it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    offset: u16,
    max: Cell<u16>,
}

impl Scroll {
    pub fn up(&mut self, by: u16) {
        self.offset = self.offset.saturating_sub(by);
    }

    pub fn down(&mut self, by: u16) {
        self.offset = self.offset.saturating_add(by).min(self.max.get());
    }

    pub fn to_top(&mut self) {
        self.offset = 0;
    }

    /// The offset to draw at, for a text whose last `visible` rows start at `max`.
    pub fn fit(&self, max: u16) -> u16 {
        self.max.set(max);
        self.offset.min(max)
    }
}

/// Rows a page key moves.
pub const PAGE: u16 = 10;

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

/// A page of text over the screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The scenario's briefing, the seat's role and objectives, what a tick is.
    Briefing,
    /// The end of the exercise: the team's scorecard, the region, where the report is.
    Results,
    /// The questions every seat discusses at a module's end or at the hot wash, with
    /// this seat's answers and its feedback form.
    Discussion,
    /// The map of the economies and their cross-border dependencies.
    Map,
    /// Where the selected economy's money went: its loss in context, by cause, by sector
    /// and its costliest assets, and what moved trust (Enter on the Overview).
    Economy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub kind: PageKind,
    pub scroll: Scroll,
}

/// What is drawn over the screen, taking the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    None,
    Help(Scroll),
    ConfirmQuit,
    Picker(Picker),
    Form(Form),
    Page(Page),
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
    /// The screen at this position of the seat's tab bar (0 = the first).
    GoToTab(u8),
    Up,
    Down,
    PageUp,
    PageDown,
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
    /// The briefing page (after the end: the results).
    ShowBriefing,
    /// Open the map of the economies and their cross-border dependencies.
    ShowMap,
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
    /// The discussion page (a module's questions, the hot wash).
    ShowDiscussion,
    /// Answer one of the discussion's questions.
    Answer,
    /// The hot wash's feedback form.
    GiveFeedback,
    /// Evaluator: write a note about a team, an objective or the exercise.
    WriteNote,
    /// Facilitator: jump the clock some ticks.
    Advance,
    /// Facilitator: end the session after the hot wash (asks first).
    EndSession,
    /// Replay: show this move through the recording (`replay --watch`).
    Seek(Seek),
    /// Replay: ask which tick to show.
    JumpToTick,
}

/// Each screen's own state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenStates {
    pub overview: overview::OverviewState,
    pub news: news::NewsState,
    pub assets: assets::AssetsState,
    pub incidents: incidents::IncidentsState,
    pub actions: actions::ActionsState,
    pub comms: comms::CommsState,
    pub control: control::ControlState,
    pub decisions: decisions::DecisionsState,
}

/// The whole client-side state: the seat, the latest views received, the session's
/// status, the screen and its state, and what changed lately.
pub struct App {
    /// Whose view this interface shows and as whom it acts: a team, or the facilitator
    /// (also for an evaluator, who sees what the facilitator sees).
    pub seat: Actor,
    /// The evaluator's number when this seat is an evaluator's: it sees everything and
    /// acts as nobody; it writes notes.
    pub evaluator: Option<u32>,
    /// The seat's own view, as last received.
    pub view: Option<View>,
    /// The facilitator's chosen perspective, when watching a team.
    pub watched: Option<View>,
    pub status: SessionStatus,
    pub screen: Screen,
    pub modal: Modal,
    pub screens: ScreenStates,
    /// Outcomes of our commands, newest last.
    pub notices: Vec<Notice>,
    /// The newest notice arrived after the last key press: the status line shows it in
    /// full (wrapped) until the player acts again.
    pub notice_fresh: bool,
    /// What the seat knew when the current tick began.
    pub tick_start: Option<Snapshot>,
    /// What changed during the last tick (or jump of ticks).
    pub digest: Option<Digest>,
    /// The newest news or incident the player has not looked at yet.
    pub alert: Option<Alert>,
    /// Where the last report was written, as the session said it.
    pub report: Option<String>,
    /// What happened at the table (joins, leaves, bots taking a seat or handing it
    /// back), with the tick, for the facilitator's Control screen.
    pub table_log: Vec<(u32, String)>,
    /// Open the briefing when the first view arrives.
    pub greet: bool,
    /// What this seat answered in discussions: (module, question) -> the answer sent.
    pub answers: BTreeMap<(u32, u32), String>,
    /// This seat sent its feedback form at the hot wash.
    pub feedback_sent: bool,
    /// Where the replay is, when this interface shows a recorded exercise
    /// (`replay --watch`) rather than a live one.
    pub replay: Option<ReplayPosition>,
    /// The replay just moved: the status line says what happened at the tick on show
    /// until the next key press.
    pub replay_fresh: bool,
    /// The session failed; shown instead of carrying on silently.
    pub failure: Option<String>,
    pub should_quit: bool,
    outbox: Sender<ToSession>,
}

impl App {
    pub fn new(seat: impl Into<Seat>, outbox: Sender<ToSession>) -> App {
        let seat = seat.into();
        let evaluator = match seat {
            Seat::Evaluator(n) => Some(n),
            Seat::Team(_) | Seat::Facilitator => None,
        };
        let seat = seat.viewer();
        App {
            seat,
            evaluator,
            view: None,
            watched: None,
            status: SessionStatus::initial(seat),
            screen: Screen::Overview,
            modal: Modal::None,
            screens: ScreenStates::default(),
            notices: Vec::new(),
            notice_fresh: false,
            tick_start: None,
            digest: None,
            alert: None,
            report: None,
            table_log: Vec::new(),
            greet: false,
            answers: BTreeMap::new(),
            feedback_sent: false,
            replay: None,
            replay_fresh: false,
            failure: None,
            should_quit: false,
            outbox,
        }
    }

    /// The same app, opening on the briefing once the exercise's first view arrives
    /// (what a player reads before anything else).
    pub fn greeting(mut self) -> App {
        self.greet = true;
        self
    }

    /// Sees the whole exercise, as the white cell does: the facilitator, or an evaluator.
    pub fn is_facilitator(&self) -> bool {
        self.seat == Actor::Facilitator
    }

    /// An evaluator's seat: sees everything, acts as nobody, writes notes.
    pub fn is_evaluator(&self) -> bool {
        self.evaluator.is_some()
    }

    /// The facilitator proper: keeps the clock, fires injects, ends the session.
    pub fn directs(&self) -> bool {
        self.is_facilitator() && !self.is_evaluator()
    }

    /// The actor this seat sends commands as (`None`: an evaluator).
    pub fn actor(&self) -> Option<Actor> {
        (!self.is_evaluator()).then_some(self.seat)
    }

    /// The view the screens show: the watched team's, or the seat's own.
    pub fn shown(&self) -> Option<&View> {
        self.watched.as_ref().or(self.view.as_ref())
    }

    /// Tabs offered to this seat.
    pub fn screens(&self) -> &'static [Screen] {
        if self.is_facilitator() {
            &Screen::ALL
        } else {
            &Screen::TEAM
        }
    }

    /// Commands of the Actions screen, in its order: for a team, those its role may send
    /// first, then the others (shown greyed, with the roles that may).
    pub fn commands(&self) -> Vec<CommandKind> {
        if self.is_evaluator() {
            Vec::new()
        } else if self.is_facilitator() {
            FACILITATOR_COMMANDS.to_vec()
        } else {
            let (mut mine, others): (Vec<CommandKind>, Vec<CommandKind>) =
                forms::team_commands().partition(|&k| self.may_send(k));
            mine.extend(others);
            mine
        }
    }

    /// The role of this seat's team (`None` for the facilitator and evaluators).
    pub fn my_role(&self) -> Option<Role> {
        let view = self.view.as_ref()?;
        let team = view.my_team?;
        view.teams.iter().find(|t| t.idx == team).map(|t| t.role)
    }

    /// Whether this seat's role may send `kind` (a seat without a role: its own menu).
    pub fn may_send(&self, kind: CommandKind) -> bool {
        self.my_role().is_none_or(|role| kind.allowed_to(role))
    }

    /// Why this seat's role may not send `kind`, as a sentence naming the roles that
    /// may; `None` if it may.
    pub fn not_my_role(&self, kind: CommandKind) -> Option<String> {
        let role = self.my_role()?;
        if kind.allowed_to(role) {
            return None;
        }
        let view = self.view.as_ref()?;
        let team = view
            .my_team
            .map_or_else(|| "your team".to_string(), |t| forms::team_name(view, t));
        Some(format!(
            "\"{}\" is for {} teams, and {team} is a {} team: ask one of them in Comms.",
            kind.label(),
            and_list(kind.roles().iter().map(|r| names::role(*r))),
            names::role(role)
        ))
    }

    /// Tells the player, in the status line, that their role may not do this.
    fn refuse_for_role(&mut self, why: String) {
        self.notices.push(Notice {
            accepted: false,
            text: why,
        });
        self.notice_fresh = true;
    }

    /// Channels of the Comms screen, in display order.
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
            *count =
                count.saturating_sub(self.screens.comms.read.get(channel).copied().unwrap_or(0));
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

    /// News the seat has not read yet.
    pub fn unread_news(&self) -> usize {
        self.view.as_ref().map_or(0, |view| {
            news::items(view)
                .iter()
                .filter(|i| !self.screens.news.read.contains(&i.idx))
                .count()
        })
    }

    pub fn selected_channel(&self) -> Channel {
        let channels = self.channels();
        channels
            .get(
                self.screens
                    .comms
                    .channel
                    .at
                    .min(channels.len().saturating_sub(1)),
            )
            .copied()
            .unwrap_or(Channel::All)
    }

    /// Indices into `shown().assets` in the Assets screen's order: by economy, then
    /// sector, then asset (a team sees only its own economy's assets listed).
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
            FromSession::View(view) => self.take_view(*view),
            FromSession::Watched(view) => {
                self.watched = Some(*view);
                self.clamp_selections();
            }
            FromSession::Status(status) => {
                if status.watching == self.seat {
                    self.watched = None;
                }
                let ended = status.finished && !self.status.finished;
                let asked =
                    status.discussion.is_some() && status.discussion != self.status.discussion;
                self.status = status;
                if matches!(self.modal, Modal::None | Modal::Page(_)) {
                    // The end's results come first; they point to the hot wash's questions.
                    if ended {
                        self.open_page(PageKind::Results);
                    } else if asked {
                        self.open_page(PageKind::Discussion);
                    }
                }
            }
            FromSession::Outcome(outcome) => {
                if outcome.label == "report"
                    && let Ok(written) = &outcome.result
                {
                    self.report = Some(written.clone());
                }
                self.notices.push(match outcome.result {
                    Ok(message) => Notice {
                        accepted: true,
                        text: format!("{}: {message}", outcome.label),
                    },
                    Err(refusal) => Notice {
                        accepted: false,
                        text: format!("{} refused: {refusal}", outcome.label),
                    },
                });
                self.notice_fresh = true;
            }
            FromSession::Notice(text) => {
                let tick = self.status.tick;
                self.table_log.push((tick, text));
            }
            FromSession::Failed(reason) => self.failure = Some(reason),
            FromSession::Replay(position) => {
                self.replay_fresh = !position.now.is_empty();
                self.replay = Some(position);
            }
        }
    }

    /// A new view of the seat's own: what changed since the tick began, alerts for news
    /// and incidents that just arrived, and the briefing on the very first view.
    fn take_view(&mut self, view: View) {
        let first = self.view.is_none();
        if let Some(start) = self.tick_start.as_ref()
            && view.tick > start.tick
        {
            let digest = crate::digest::since(start, &view);
            if let Some(alert) = digest.alert(self.is_facilitator()) {
                self.alert = Some(alert);
            }
            self.digest = Some(digest);
        }
        if self.tick_start.as_ref().is_none_or(|s| view.tick != s.tick) {
            self.tick_start = Some(Snapshot::of(&view));
        }
        self.view = Some(view);
        if self.status.watching == self.seat {
            self.watched = None;
        }
        self.clamp_selections();
        self.mark_read_if_shown();
        if first && self.greet && self.modal == Modal::None {
            self.open_page(PageKind::Briefing);
        }
    }

    fn clamp_selections(&mut self) {
        let assets = self.asset_order().len();
        let incidents = self.shown().map_or(0, |v| v.incidents.len());
        let injects = self.view.as_ref().map_or(0, |v| v.injects.len());
        let news = self.view.as_ref().map_or(0, |v| news::items(v).len());
        let channels = self.channels().len();
        let economies = self.shown().map_or(0, |v| v.economies.len());
        let commands = self.commands().len();
        let decisions = self.view.as_ref().map_or(0, |v| decisions::rows(v).len());
        let s = &mut self.screens;
        s.decisions.row.clamp(decisions);
        s.overview.economy.clamp(economies);
        s.news.item.clamp(news);
        s.assets.asset.clamp(assets);
        s.incidents.incident.clamp(incidents);
        s.actions.command.clamp(commands);
        s.control.inject.clamp(injects);
        s.comms.channel.clamp(channels);
    }

    /// What is on show counts as read: the selected channel's messages, the selected
    /// news, the incidents listed; an alert about what is now on show is done.
    fn mark_read_if_shown(&mut self) {
        if self.modal != Modal::None {
            return;
        }
        match self.screen {
            Screen::Comms => {
                let channel = self.selected_channel();
                let count = self.messages_in(channel).len();
                self.screens.comms.read.insert(channel, count);
            }
            Screen::News => {
                if let Some(idx) = self
                    .view
                    .as_ref()
                    .and_then(|v| news::items(v).get(self.screens.news.item.at).map(|i| i.idx))
                {
                    self.screens.news.read.insert(idx);
                    if self.alert == Some(Alert::News(idx)) {
                        self.alert = None;
                    }
                }
            }
            Screen::Incidents => {
                if let Some(view) = self.shown() {
                    let ids: Vec<_> = view.incidents.iter().map(|i| i.id).collect();
                    self.screens.incidents.seen.extend(ids);
                }
                if matches!(self.alert, Some(Alert::Incident(_))) {
                    self.alert = None;
                }
            }
            _ => {}
        }
    }

    /// Applies one action: the only place the state changes in response to input.
    pub fn update(&mut self, action: Action) {
        self.notice_fresh = false;
        self.replay_fresh = false;
        match std::mem::replace(&mut self.modal, Modal::None) {
            Modal::None => self.update_screen(action),
            Modal::Help(scroll) => self.update_help(scroll, action),
            Modal::ConfirmQuit => self.update_confirm(action),
            Modal::Picker(picker) => self.update_picker(picker, action),
            Modal::Form(form) => self.update_form(form, action),
            Modal::Page(page) => self.update_page(page, action),
        }
        self.mark_read_if_shown();
    }

    fn update_help(&mut self, mut scroll: Scroll, action: Action) {
        match action {
            Action::ForceQuit => self.quit(),
            Action::AskQuit => self.modal = Modal::ConfirmQuit,
            Action::Up => {
                scroll.up(1);
                self.modal = Modal::Help(scroll);
            }
            Action::Down => {
                scroll.down(1);
                self.modal = Modal::Help(scroll);
            }
            _ => {}
        }
    }

    fn update_confirm(&mut self, action: Action) {
        match action {
            Action::ConfirmQuit | Action::ForceQuit => self.quit(),
            Action::Back => {}
            _ => self.modal = Modal::ConfirmQuit,
        }
    }

    fn update_page(&mut self, mut page: Page, action: Action) {
        match action {
            // Enter closes a page ("Enter closes" in its title) and does nothing else: on
            // the Overview it would open the economy detail again.
            Action::Back | Action::Activate => return,
            Action::ForceQuit => return self.quit(),
            Action::AskQuit => {
                self.modal = Modal::ConfirmQuit;
                return;
            }
            Action::Up => page.scroll.up(1),
            Action::Down => page.scroll.down(1),
            Action::PageUp => page.scroll.up(PAGE),
            Action::PageDown => page.scroll.down(PAGE),
            // Any other key closes the page and acts on the screens (the clock, a tab).
            _ => return self.update_screen(action),
        }
        self.modal = Modal::Page(page);
    }

    /// Opens a page at its top.
    pub fn open_page(&mut self, kind: PageKind) {
        self.modal = Modal::Page(Page {
            kind,
            scroll: Scroll::default(),
        });
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
            Action::Activate => match form.request(self.actor()) {
                Ok(request) => {
                    self.remember(&request);
                    self.send(request);
                    return;
                }
                Err(problem) => form.problem = Some(problem),
            },
            _ => {}
        }
        self.modal = Modal::Form(form);
    }

    /// Keeps what this seat answered, for the discussion page.
    fn remember(&mut self, request: &ToSession) {
        match request {
            ToSession::Answer {
                module,
                question,
                text,
            } => {
                self.answers.insert((*module, *question), text.clone());
            }
            ToSession::Feedback(_) => self.feedback_sent = true,
            _ => {}
        }
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
            Action::GoTo(screen) if self.screens().contains(&screen) => self.show(screen),
            Action::GoToTab(at) => {
                if let Some(&screen) = self.screens().get(usize::from(at)) {
                    self.show(screen);
                }
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.page(false),
            Action::PageDown => self.page(true),
            Action::Activate => self.activate(),
            Action::ShowHelp => self.modal = Modal::Help(Scroll::default()),
            Action::ShowBriefing => self.open_page(if self.status.finished {
                PageKind::Results
            } else {
                PageKind::Briefing
            }),
            Action::ShowMap => self.open_page(PageKind::Map),
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
            Action::Seek(seek) if self.replay.is_some() => self.send(ToSession::Seek(seek)),
            Action::JumpToTick => {
                if let Some(position) = &self.replay {
                    self.modal = Modal::Form(Form::jump_to(position.last));
                }
            }
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
                let recipient = if self.screen == Screen::Comms {
                    Some(self.selected_channel().recipient())
                } else {
                    None
                };
                self.open_form(
                    CommandKind::Message,
                    Prefill {
                        recipient,
                        ..Prefill::default()
                    },
                );
            }
            Action::FireInject | Action::EditInject if self.directs() => {
                let inject = self
                    .view
                    .as_ref()
                    .and_then(|v| v.injects.get(self.screens.control.inject.at))
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
            Action::Broadcast if self.directs() => {
                self.open_form(CommandKind::Broadcast, Prefill::default())
            }
            Action::SwitchView if self.is_facilitator() => self.open_watch_picker(),
            Action::ShowDiscussion if self.status.discussion.is_some() => {
                self.open_page(PageKind::Discussion)
            }
            Action::Answer => self.open_answer_form(),
            Action::GiveFeedback if self.status.discussion.as_ref().is_some_and(|d| d.feedback) => {
                self.modal = Modal::Form(Form::feedback());
            }
            Action::WriteNote if self.is_evaluator() => {
                if let Some(view) = self.view.as_ref() {
                    self.modal = Modal::Form(Form::note(view));
                }
            }
            Action::Advance if self.directs() && !self.status.finished => {
                let remaining = self
                    .view
                    .as_ref()
                    .map_or(1, |v| v.duration_ticks.saturating_sub(v.tick));
                self.modal = Modal::Form(Form::advance(remaining));
            }
            Action::EndSession if self.directs() => self.modal = Modal::Form(Form::end_session()),
            _ => {}
        }
    }

    /// The answer form for the discussion open now, on its first question this seat has
    /// not answered yet.
    fn open_answer_form(&mut self) {
        let Some(discussion) = self.status.discussion.as_ref() else {
            return;
        };
        let (Some(module), false) = (discussion.module, discussion.questions.is_empty()) else {
            return;
        };
        let first_open = (0..discussion.questions.len())
            .find(|&q| {
                !self
                    .answers
                    .contains_key(&(module, u32::try_from(q).unwrap_or(u32::MAX)))
            })
            .unwrap_or(0);
        self.modal = Modal::Form(Form::answer(module, &discussion.questions, first_open));
    }

    fn show(&mut self, screen: Screen) {
        if screen == Screen::News && self.screen != Screen::News {
            self.select_first_unread_news();
        }
        self.screen = screen;
    }

    /// Opening News selects the item the alert is about, else the oldest unread one
    /// (else it keeps the selection).
    fn select_first_unread_news(&mut self) {
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let items = news::items(view);
        let alerted = match self.alert {
            Some(Alert::News(idx)) => items.iter().position(|i| i.idx == idx),
            _ => None,
        };
        let oldest_unread = || {
            items
                .iter()
                .rposition(|i| !self.screens.news.read.contains(&i.idx))
        };
        if let Some(at) = alerted.or_else(oldest_unread) {
            self.screens.news.item.at = at;
            self.screens.news.text.to_top();
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
        self.show(screens[next]);
    }

    /// Moves the selection of the screen on show by `by` rows (negative: up).
    fn move_selection(&mut self, by: isize) {
        let len = match self.screen {
            Screen::Overview => self.shown().map_or(0, |v| v.economies.len()),
            Screen::News => self.view.as_ref().map_or(0, |v| news::items(v).len()),
            Screen::Assets => self.asset_order().len(),
            Screen::Incidents => self.shown().map_or(0, |v| v.incidents.len()),
            Screen::Actions => self.commands().len(),
            Screen::Comms => self.channels().len(),
            Screen::Control => self.view.as_ref().map_or(0, |v| v.injects.len()),
            Screen::Decisions => self.view.as_ref().map_or(0, |v| decisions::rows(v).len()),
        };
        let s = &mut self.screens;
        let cursor = match self.screen {
            Screen::Overview => &mut s.overview.economy,
            Screen::News => {
                s.news.text.to_top();
                &mut s.news.item
            }
            Screen::Assets => &mut s.assets.asset,
            Screen::Incidents => &mut s.incidents.incident,
            Screen::Actions => &mut s.actions.command,
            Screen::Comms => &mut s.comms.channel,
            Screen::Control => {
                s.control.detail.to_top();
                &mut s.control.inject
            }
            Screen::Decisions => &mut s.decisions.row,
        };
        if by < 0 {
            cursor.up(by.unsigned_abs());
        } else {
            cursor.down(by.unsigned_abs(), len);
        }
    }

    /// Page keys scroll the text on show (a news item, an inject), or move a list by a
    /// page where there is no text.
    fn page(&mut self, down: bool) {
        let text = match self.screen {
            Screen::News => Some(&mut self.screens.news.text),
            Screen::Control => Some(&mut self.screens.control.detail),
            _ => None,
        };
        match (text, down) {
            (Some(text), true) => text.down(PAGE),
            (Some(text), false) => text.up(PAGE),
            (None, true) => self.move_selection(isize::from(PAGE as u8)),
            (None, false) => self.move_selection(-isize::from(PAGE as u8)),
        }
    }

    fn activate(&mut self) {
        match self.screen {
            Screen::Incidents if !self.is_facilitator() => self.open_incident_picker(),
            Screen::Assets if !self.is_facilitator() => {
                if let Some(why) = self.not_my_role(CommandKind::Restore) {
                    return self.refuse_for_role(why);
                }
                let asset = self
                    .asset_order()
                    .get(self.screens.assets.asset.at)
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
                if let Some(&kind) = self.commands().get(self.screens.actions.command.at) {
                    match self.not_my_role(kind) {
                        Some(why) => self.refuse_for_role(why),
                        None => self.open_form(kind, Prefill::default()),
                    }
                }
            }
            Screen::Comms => self.update_screen(Action::Compose),
            Screen::Control => self.update_screen(Action::FireInject),
            Screen::Decisions if !self.is_facilitator() => self.open_decide_form(),
            Screen::Overview
                if self
                    .shown()
                    .is_some_and(|v| self.screens.overview.economy.at < v.economies.len()) =>
            {
                self.open_page(PageKind::Economy)
            }
            _ => {}
        }
    }

    /// The `decide` form on the option selected on the Decisions screen, to confirm it;
    /// a settled decision says so instead.
    fn open_decide_form(&mut self) {
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let rows = decisions::rows(view);
        let Some(&(i, option)) = rows.get(self.screens.decisions.row.at) else {
            return;
        };
        let decision = &view.decisions[i];
        if let Some(settled) = decision.settled {
            let label = decision
                .options
                .get(settled.option as usize)
                .map_or("", |o| o.label.as_str());
            let why = format!(
                "\"{}\" is already settled: \"{label}\" (tick {})",
                decision.title, settled.at
            );
            return self.refuse_for_role(why);
        }
        let choice = Some((decision.idx, option));
        self.open_form(
            CommandKind::Decide,
            Prefill {
                choice,
                ..Prefill::default()
            },
        );
    }

    fn open_incident_picker(&mut self) {
        let Some(incident) = self
            .shown()
            .and_then(|v| v.incidents.get(self.screens.incidents.incident.at))
        else {
            return;
        };
        let prefill = Prefill {
            incident: Some(incident.id),
            asset: Some(incident.asset),
            ..Prefill::default()
        };
        // Only what this team's role may do to an incident.
        let mut entries: Vec<(String, PickerEntry)> = forms::incident_commands()
            .filter(|&k| self.may_send(k))
            .map(|k| (k.label().to_string(), PickerEntry::Open(k, prefill)))
            .collect();
        if self.may_send(CommandKind::Restore) {
            entries.push((
                "restore the asset".to_string(),
                PickerEntry::Open(CommandKind::Restore, prefill),
            ));
        }
        if entries.is_empty() {
            let role = self.my_role().map_or("", names::role);
            let mine: Vec<&str> = self
                .commands()
                .into_iter()
                .filter(|&k| self.may_send(k) && k != CommandKind::Message)
                .map(CommandKind::label)
                .collect();
            return self.refuse_for_role(format!(
                "A {role} team does not act on incidents itself: its actions are {} (Actions), \
                 and Comms to the teams that do.",
                and_list(mine.into_iter())
            ));
        }
        let title = self.shown().map_or_else(
            || "Act on the incident".to_string(),
            |view| format!("Act on {}", crate::forms::incident_line(view, incident.id)),
        );
        self.modal = Modal::Picker(Picker {
            title,
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
