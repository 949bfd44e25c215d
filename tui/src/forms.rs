//! Forms for every command a seat can send, as specs: a command's form is its entry
//! in the engine's catalogue ([`CommandKind::spec`]), one field per parameter, named
//! after it and filled from the list its [`ParamKind`] says. Each field is picked from
//! a list built from the latest view (incidents, assets, sectors, economies, teams,
//! injects), never a typed id; only free text (messages, inject wording) and small
//! numbers are entered. A new command needs no code here: its parameters are its form.
//!
//! The same forms ask for the session's own requests ([`Purpose`]): an answer to a
//! discussion question, the hot wash's feedback form, an evaluator's note, a jump of the
//! clock and the end of the session.

pub use cyberdrill_engine::command::CommandKind;
use cyberdrill_engine::command::{
    Actor, AnalystsLimit, Arg, Command, IncidentChoice, IncidentId, Issuer, Param, ParamKind,
    Pillar, Recipient, Tlp,
};
use cyberdrill_engine::names::{self, Names};
use cyberdrill_engine::scenario::model::{AssetIdx, DecisionIdx, EconomyIdx, InjectIdx, TeamIdx};
use cyberdrill_engine::view::{IncidentView, Severity, Stage, View};

use crate::client::{Feedback, NoteSubject, Seek, ToSession};
use crate::net::protocol::MAX_TEXT_CHARS;

/// Commands a team can send, in the order the Actions screen lists them: the
/// catalogue's team commands, in its order.
pub fn team_commands() -> impl Iterator<Item = CommandKind> {
    CommandKind::ALL
        .into_iter()
        .filter(|k| matches!(k.spec().issuer, Issuer::Teams(_)))
}

/// Commands the facilitator can compose.
pub const FACILITATOR_COMMANDS: [CommandKind; 4] = [
    CommandKind::FireInject,
    CommandKind::EditInject,
    CommandKind::Broadcast,
    CommandKind::Message,
];

/// Commands that act on one incident, offered when an incident is selected: the
/// catalogue's commands whose first parameter is an incident.
pub fn incident_commands() -> impl Iterator<Item = CommandKind> {
    CommandKind::ALL.into_iter().filter(|k| k.on_incident())
}

/// One entry of a list field: what the player reads and the argument it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub text: String,
    pub pick: Arg,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Exactly one entry of a list (left/right to change).
    One {
        label: &'static str,
        choices: Vec<Choice>,
        selected: usize,
    },
    /// Any entries of a list (left/right to move, space to tick).
    Many {
        label: &'static str,
        choices: Vec<Choice>,
        ticked: Vec<bool>,
        cursor: usize,
    },
    /// A whole number within bounds (left/right to change).
    Number {
        label: &'static str,
        value: u32,
        min: u32,
        max: u32,
    },
    /// Free text (typed).
    Text {
        label: &'static str,
        value: String,
        max_chars: usize,
    },
}

impl Field {
    /// The parameter it fills, by name.
    pub fn label(&self) -> &'static str {
        match self {
            Field::One { label, .. }
            | Field::Many { label, .. }
            | Field::Number { label, .. }
            | Field::Text { label, .. } => label,
        }
    }

    fn picked(&self) -> Option<&Arg> {
        match self {
            Field::One {
                choices, selected, ..
            } => choices.get(*selected).map(|c| &c.pick),
            _ => None,
        }
    }
}

/// What a form asks for when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A command to the engine.
    Command(CommandKind),
    /// An answer to one of a module's discussion questions.
    Answer { module: u32 },
    /// The hot wash's feedback form (HSEEP 2020's participant feedback).
    Feedback,
    /// An evaluator's note; the `about` field picks one of `subjects`.
    Note { subjects: Vec<NoteSubject> },
    /// The facilitator jumps the clock some ticks at once.
    Advance,
    /// The facilitator ends the session after the hot wash.
    EndSession,
    /// A replay shows another tick, at most `last` (`replay --watch`).
    JumpTo { last: u32 },
}

impl Purpose {
    /// The form's title.
    pub fn label(&self) -> &'static str {
        match self {
            Purpose::Command(kind) => kind.label(),
            Purpose::Answer { .. } => "answer a discussion question",
            Purpose::Feedback => "feedback form",
            Purpose::Note { .. } => "evaluator's note",
            Purpose::Advance => "jump the clock",
            Purpose::EndSession => "end the session",
            Purpose::JumpTo { .. } => "go to a tick",
        }
    }

    /// One line on what sending it does.
    pub fn description(&self) -> &'static str {
        match self {
            Purpose::Command(kind) => kind.description(),
            Purpose::Answer { .. } => {
                "Your team's answer goes to the facilitator and into the after-action report."
            }
            Purpose::Feedback => {
                "What went well, what to improve, and one improvement with who owns it: for the \
                 report's improvement plan."
            }
            Purpose::Note { .. } => {
                "A timestamped observation about a team, an objective or the exercise, for the \
                 report (nobody else sees it)."
            }
            Purpose::Advance => {
                "Runs that many ticks at once (\"the next morning\"); stops early at a module's end."
            }
            Purpose::EndSession => {
                "Ends the exercise for every seat (after the hot wash): the server stops and the \
                 journal is closed. Enter ends it, Esc keeps the session open."
            }
            Purpose::JumpTo { .. } => {
                "Shows the recorded exercise as it was at that tick (0 is the start)."
            }
        }
    }
}

/// A form being filled in: what it is for, its fields and which one has the focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the form cannot be sent yet, shown under it.
    pub problem: Option<String>,
}

/// What a form starts with when opened from a selection (an incident, an asset, a channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefill {
    pub incident: Option<IncidentId>,
    pub asset: Option<AssetIdx>,
    pub recipient: Option<Recipient>,
    pub inject: Option<InjectIdx>,
    /// An option of a decision point (the Decisions screen's selection).
    pub choice: Option<(DecisionIdx, u32)>,
}

/// The economy of the viewer's team, if it is a team.
pub fn my_economy(view: &View) -> Option<EconomyIdx> {
    let team = view.my_team?;
    view.teams.iter().find(|t| t.idx == team).map(|t| t.economy)
}

/// Name of an asset as the view knows it ([`Names::asset`]).
pub fn asset_name(view: &View, asset: AssetIdx) -> String {
    Names(view).asset(asset)
}

/// [`Names::economy`].
pub fn economy_name(view: &View, economy: EconomyIdx) -> String {
    Names(view).economy(economy)
}

/// [`Names::team`].
pub fn team_name(view: &View, team: TeamIdx) -> String {
    Names(view).team(team)
}

/// Who sent or receives something, in words ([`Names::actor`]).
pub fn actor_name(view: &View, actor: Actor) -> String {
    Names(view).actor(actor)
}

/// [`Names::recipient`].
pub fn recipient_name(view: &View, to: Recipient) -> String {
    Names(view).recipient(to)
}

/// An incident in one line: `#3 Arcadia grid (high, foothold)`.
pub fn incident_line(view: &View, id: IncidentId) -> String {
    match view.incidents.iter().find(|i| i.id == id) {
        Some(incident) => format!(
            "#{} {} ({}, {})",
            id.0,
            asset_name(view, incident.asset),
            severity_word(incident.severity),
            stage_word(incident.stage)
        ),
        None => format!("#{}", id.0),
    }
}

/// [`names::severity`].
pub fn severity_word(severity: Severity) -> &'static str {
    names::severity(severity)
}

/// [`names::stage`].
pub fn stage_word(stage: Stage) -> &'static str {
    names::stage(stage)
}

fn incident_choices(view: &View, keep: impl Fn(&IncidentView) -> bool) -> Vec<Choice> {
    view.incidents
        .iter()
        .filter(|i| keep(i))
        .map(|i| Choice {
            text: incident_line(view, i.id),
            pick: Arg::Incident(i.id),
        })
        .collect()
}

fn own_asset_choices(view: &View) -> Vec<Choice> {
    let mine = my_economy(view);
    view.assets
        .iter()
        .filter(|a| mine.is_none_or(|e| a.economy == e))
        .map(|a| Choice {
            text: format!("{} ({:.0}%)", a.name, a.service * 100.0),
            pick: Arg::Asset(a.idx),
        })
        .collect()
}

fn sector_choices(view: &View) -> Vec<Choice> {
    view.sectors
        .iter()
        .map(|s| Choice {
            text: s.name.clone(),
            pick: Arg::Sector(s.idx),
        })
        .collect()
}

fn other_economy_choices(view: &View) -> Vec<Choice> {
    let mine = my_economy(view);
    view.economies
        .iter()
        .filter(|e| Some(e.idx) != mine)
        .map(|e| Choice {
            text: e.name.clone(),
            pick: Arg::Economy(e.idx),
        })
        .collect()
}

fn other_team_choices(view: &View) -> Vec<Choice> {
    view.teams
        .iter()
        .filter(|t| Some(t.idx) != view.my_team)
        .map(|t| Choice {
            text: t.name.clone(),
            pick: Arg::Team(t.idx),
        })
        .collect()
}

/// Teams of other economies (TLP:RED's possible named recipients).
fn foreign_team_choices(view: &View) -> Vec<Choice> {
    let mine = my_economy(view);
    view.teams
        .iter()
        .filter(|t| Some(t.economy) != mine)
        .map(|t| Choice {
            text: t.name.clone(),
            pick: Arg::Team(t.idx),
        })
        .collect()
}

fn recipient_choices(view: &View) -> Vec<Choice> {
    let names = Names(view);
    let mut to = vec![Recipient::All];
    if view.my_team.is_some() {
        to.push(Recipient::Facilitator);
    }
    to.extend(
        view.teams
            .iter()
            .filter(|t| Some(t.idx) != view.my_team)
            .map(|t| Recipient::Team(t.idx)),
    );
    to.extend(view.economies.iter().map(|e| Recipient::Economy(e.idx)));
    to.into_iter()
        .map(|r| Choice {
            text: names.recipient(r),
            pick: Arg::Recipient(r),
        })
        .collect()
}

fn pending_inject_choices(view: &View) -> Vec<Choice> {
    view.injects
        .iter()
        .filter(|i| i.fired_at.is_none())
        .map(|i| Choice {
            text: i.headline.clone(),
            pick: Arg::Inject(i.idx),
        })
        .collect()
}

/// Every option of the open decisions offered to the seat: `Pay the ransom? Refuse`.
fn open_choice_choices(view: &View) -> Vec<Choice> {
    let names = &Names(view);
    view.decisions
        .iter()
        .filter(|d| d.is_open() && view.my_team.is_some_and(|t| d.teams.contains(&t)))
        .flat_map(|d| {
            (0..d.options.len() as u32).map(move |option| Choice {
                text: names.choice(d.idx, option),
                pick: Arg::Choice {
                    decision: d.idx,
                    option,
                },
            })
        })
        .collect()
}

/// The labels, the commonest choice for sharing with partners first.
fn tlp_choices() -> Vec<Choice> {
    [
        Tlp::Amber,
        Tlp::Green,
        Tlp::Clear,
        Tlp::AmberStrict,
        Tlp::Red,
    ]
    .into_iter()
    .map(|tlp| Choice {
        text: format!("{} ({})", names::tlp_name(tlp), names::tlp_meaning(tlp)),
        pick: Arg::Tlp(tlp),
    })
    .collect()
}

/// The five readiness pillars, each with the team's own economy's score now (the weakest
/// is where training gains most).
fn pillar_choices(view: &View) -> Vec<Choice> {
    let readiness = my_economy(view)
        .and_then(|e| view.economies.get(e.index()))
        .and_then(|e| e.readiness);
    Pillar::ALL
        .into_iter()
        .map(|pillar| Choice {
            text: match readiness {
                Some(r) => format!("{} (yours now {})", pillar.name(), pillar.of(r)),
                None => pillar.name().to_string(),
            },
            pick: Arg::Pillar(pillar),
        })
        .collect()
}

/// The field asking for `param`, its list filled from `view`, preselected from `prefill`.
fn field(param: &Param, view: &View, prefill: Prefill) -> Field {
    let label = param.name;
    let one = |choices: Vec<Choice>, want: Option<Arg>| {
        let selected = want
            .and_then(|w| choices.iter().position(|c| c.pick == w))
            .unwrap_or(0);
        Field::One {
            label,
            choices,
            selected,
        }
    };
    let prefilled_incident = prefill.incident.map(Arg::Incident);
    match param.kind {
        ParamKind::Incident(which) => one(
            incident_choices(view, |i| match which {
                IncidentChoice::Known => true,
                IncidentChoice::Uncontained => i.contained_at.is_none(),
                IncidentChoice::Investigated => i.investigated,
            }),
            prefilled_incident,
        ),
        ParamKind::OwnAsset => one(own_asset_choices(view), prefill.asset.map(Arg::Asset)),
        ParamKind::Sector => one(sector_choices(view), None),
        ParamKind::OtherEconomy => one(other_economy_choices(view), None),
        ParamKind::OtherEconomies => {
            let choices = other_economy_choices(view);
            Field::Many {
                label,
                ticked: vec![false; choices.len()],
                choices,
                cursor: 0,
            }
        }
        ParamKind::OtherTeam => one(other_team_choices(view), None),
        ParamKind::OtherTeams => {
            let choices = foreign_team_choices(view);
            Field::Many {
                label,
                ticked: vec![false; choices.len()],
                choices,
                cursor: 0,
            }
        }
        ParamKind::Tlp => one(tlp_choices(), None),
        ParamKind::Pillar => one(pillar_choices(view), None),
        ParamKind::Analysts { max } => Field::Number {
            label,
            value: 1,
            min: 1,
            max: match max {
                AnalystsLimit::Fixed(n) => n,
                AnalystsLimit::Free => view.analysts.free().max(1),
            },
        },
        ParamKind::Recipient => one(
            recipient_choices(view),
            prefill.recipient.map(Arg::Recipient),
        ),
        ParamKind::PendingInject => one(
            pending_inject_choices(view),
            prefill.inject.map(Arg::Inject),
        ),
        ParamKind::Text { max_chars } => Field::Text {
            label,
            value: String::new(),
            max_chars,
        },
        ParamKind::OpenChoice => one(
            open_choice_choices(view),
            prefill
                .choice
                .map(|(decision, option)| Arg::Choice { decision, option }),
        ),
    }
}

/// What a list parameter offers, for "there is no … to choose yet".
fn nothing_to_choose(kind: ParamKind) -> String {
    let what = match kind {
        ParamKind::Incident(IncidentChoice::Investigated) => {
            return "no investigated incident to share: investigate one first".to_string();
        }
        ParamKind::Incident(_) => "known incident",
        ParamKind::OwnAsset => "asset of yours",
        ParamKind::Sector => "sector",
        ParamKind::OtherEconomy | ParamKind::OtherEconomies => "other economy",
        ParamKind::OtherTeam | ParamKind::OtherTeams => "other team",
        ParamKind::Tlp => "label",
        ParamKind::Pillar => "pillar",
        ParamKind::Recipient => "recipient",
        ParamKind::PendingInject => "pending inject",
        ParamKind::OpenChoice => "open decision",
        ParamKind::Analysts { .. } | ParamKind::Text { .. } => "value",
    };
    format!("there is no {what} to choose yet")
}

impl Form {
    /// A form for `kind`, its lists filled from `view` and preselected from `prefill`.
    pub fn new(kind: CommandKind, view: &View, prefill: Prefill) -> Form {
        let fields: Vec<Field> = kind
            .spec()
            .params
            .iter()
            .map(|param| field(param, view, prefill))
            .collect();
        let focus = first_text_or_zero(kind, &fields);
        let mut form = Form {
            purpose: Purpose::Command(kind),
            fields,
            focus,
            problem: None,
        };
        form.load_inject_wording(view);
        form
    }

    /// An answer to one of `questions` (a module's discussion), the first preselected.
    pub fn answer(module: u32, questions: &[String], preselected: usize) -> Form {
        let choices = numbered_choices(questions.iter().map(String::as_str));
        Form {
            purpose: Purpose::Answer { module },
            fields: vec![
                Field::One {
                    label: "question",
                    selected: preselected.min(choices.len().saturating_sub(1)),
                    choices,
                },
                text_field("answer"),
            ],
            focus: 1,
            problem: None,
        }
    }

    /// The hot wash's feedback form: five texts, the first focused.
    pub fn feedback() -> Form {
        Form {
            purpose: Purpose::Feedback,
            fields: FEEDBACK_FIELDS.iter().map(|&l| text_field(l)).collect(),
            focus: 0,
            problem: None,
        }
    }

    /// An evaluator's note about the exercise, a team or an objective, named from `view`.
    pub fn note(view: &View) -> Form {
        let mut subjects = vec![NoteSubject::Exercise];
        let mut names = vec!["the exercise as a whole".to_string()];
        for team in &view.teams {
            subjects.push(NoteSubject::Team(team.idx));
            names.push(format!("team {}", team.name));
        }
        for (i, objective) in view.objectives.iter().enumerate() {
            subjects.push(NoteSubject::Objective(u32::try_from(i).unwrap_or(u32::MAX)));
            names.push(format!("objective: {}", objective.description));
        }
        Form {
            purpose: Purpose::Note { subjects },
            fields: vec![
                Field::One {
                    label: "about",
                    choices: numbered_choices(names.iter().map(String::as_str)),
                    selected: 0,
                },
                text_field("note"),
            ],
            focus: 1,
            problem: None,
        }
    }

    /// How many ticks to jump, at most `remaining` (the ticks left in the exercise).
    pub fn advance(remaining: u32) -> Form {
        Form {
            purpose: Purpose::Advance,
            fields: vec![Field::Number {
                label: "ticks",
                value: 1,
                min: 1,
                max: remaining.max(1),
            }],
            focus: 0,
            problem: None,
        }
    }

    /// Which tick a replay shows next, typed.
    pub fn jump_to(last: u32) -> Form {
        Form {
            purpose: Purpose::JumpTo { last },
            fields: vec![Field::Text {
                label: "tick",
                value: String::new(),
                max_chars: 10,
            }],
            focus: 0,
            problem: None,
        }
    }

    /// The question "end the session?", as a form with nothing to fill in.
    pub fn end_session() -> Form {
        Form {
            purpose: Purpose::EndSession,
            fields: Vec::new(),
            focus: 0,
            problem: None,
        }
    }

    /// What sending the form asks of the session, sent by `actor` (`None`: an
    /// evaluator, who acts as nobody), or what is missing, in words.
    pub fn request(&self, actor: Option<Actor>) -> Result<ToSession, String> {
        match &self.purpose {
            Purpose::Command(_) => {
                let actor = actor.ok_or_else(|| {
                    "an evaluator observes and cannot act: write a note instead".to_string()
                })?;
                Ok(ToSession::Submit {
                    actor,
                    command: self.command()?,
                })
            }
            Purpose::Answer { module } => Ok(ToSession::Answer {
                module: *module,
                question: u32::try_from(self.selected("question")).unwrap_or(u32::MAX),
                text: self.text("answer", true)?,
            }),
            Purpose::Feedback => {
                let [went_well, to_improve, improvement, owner, due] =
                    FEEDBACK_FIELDS.map(|label| self.text(label, false).unwrap_or_default());
                if [&went_well, &to_improve, &improvement]
                    .iter()
                    .all(|t| t.is_empty())
                {
                    return Err("the feedback form is empty: write at least one answer".into());
                }
                Ok(ToSession::Feedback(Feedback {
                    went_well,
                    to_improve,
                    improvement,
                    owner,
                    due,
                }))
            }
            Purpose::Note { subjects } => {
                let about = subjects
                    .get(self.selected("about"))
                    .copied()
                    .unwrap_or(NoteSubject::Exercise);
                Ok(ToSession::Note {
                    about,
                    text: self.text("note", true)?,
                })
            }
            Purpose::Advance => {
                let ticks = self
                    .fields
                    .iter()
                    .find_map(|f| match f {
                        Field::Number { value, .. } => Some(*value),
                        _ => None,
                    })
                    .unwrap_or(1);
                Ok(ToSession::Advance { ticks })
            }
            Purpose::EndSession => Ok(ToSession::EndSession),
            Purpose::JumpTo { last } => {
                let text = self.text("tick", true)?;
                match text.parse::<u32>() {
                    Ok(tick) if tick <= *last => Ok(ToSession::Seek(Seek::To(tick))),
                    _ => Err(format!(
                        "\"{text}\" is not a tick of this recording: type a whole number from 0 \
                         to {last}"
                    )),
                }
            }
        }
    }

    /// The position of the entry chosen in the list field `label` (0 if none).
    fn selected(&self, label: &str) -> usize {
        self.fields
            .iter()
            .find_map(|f| match f {
                Field::One {
                    label: l, selected, ..
                } if *l == label => Some(*selected),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The trimmed text of the field `label`; an empty one is refused if `required`.
    fn text(&self, label: &str, required: bool) -> Result<String, String> {
        let value = self
            .fields
            .iter()
            .find_map(|f| match f {
                Field::Text {
                    label: l, value, ..
                } if *l == label => Some(value.trim()),
                _ => None,
            })
            .unwrap_or("");
        if required && value.is_empty() {
            return Err(format!("the {label} is empty: type some text"));
        }
        Ok(value.to_string())
    }

    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// Left/right on the focused field: another entry, or a smaller/larger number.
    pub fn change(&mut self, forward: bool, view: &View) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match field {
            Field::One {
                choices, selected, ..
            } => *selected = step_index(*selected, choices.len(), forward),
            Field::Many {
                choices, cursor, ..
            } => *cursor = step_index(*cursor, choices.len(), forward),
            Field::Number {
                value, min, max, ..
            } => {
                *value = if forward {
                    (*value + 1).min(*max)
                } else {
                    value.saturating_sub(1).max(*min)
                }
            }
            Field::Text { .. } => {}
        }
        if field.label() == "inject" {
            self.load_inject_wording(view);
        }
        self.problem = None;
    }

    /// Space on a multi-choice field ticks or unticks the entry under the cursor.
    pub fn toggle(&mut self) {
        if let Some(Field::Many { ticked, cursor, .. }) = self.fields.get_mut(self.focus)
            && let Some(t) = ticked.get_mut(*cursor)
        {
            *t = !*t;
            self.problem = None;
        }
    }

    /// Whether the focused field takes typed characters.
    pub fn typing(&self) -> bool {
        matches!(self.fields.get(self.focus), Some(Field::Text { .. }))
    }

    pub fn type_char(&mut self, ch: char) {
        if let Some(Field::Text {
            value, max_chars, ..
        }) = self.fields.get_mut(self.focus)
            && value.chars().count() < *max_chars
            && !ch.is_control()
        {
            value.push(ch);
            self.problem = None;
        }
    }

    /// Appends pasted text to the focused text field, cut at the field's limit at once
    /// (line breaks and tabs become spaces, other control characters are left out), in
    /// time linear in what is kept, however long the paste.
    pub fn paste(&mut self, text: &str) {
        if let Some(Field::Text {
            value, max_chars, ..
        }) = self.fields.get_mut(self.focus)
        {
            let room = max_chars.saturating_sub(value.chars().count());
            let kept = text
                .chars()
                .filter(|&ch| ch != '\r')
                .map(|ch| if ch == '\n' || ch == '\t' { ' ' } else { ch })
                .filter(|ch| !ch.is_control())
                .take(room);
            value.extend(kept);
            self.problem = None;
        }
    }

    pub fn backspace(&mut self) {
        if let Some(Field::Text { value, .. }) = self.fields.get_mut(self.focus) {
            value.pop();
        }
    }

    /// The command this form describes, or what is missing, in words.
    pub fn command(&self) -> Result<Command, String> {
        let Purpose::Command(kind) = self.purpose else {
            return Err(mismatch());
        };
        let params = kind.spec().params;
        let texts = params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Text { .. }))
            .count();
        let mut args = Vec::with_capacity(params.len());
        for param in params {
            let Some(field) = self.fields.iter().find(|f| f.label() == param.name) else {
                return Err(mismatch());
            };
            let arg = match field {
                Field::One { .. } => field
                    .picked()
                    .cloned()
                    .ok_or_else(|| nothing_to_choose(param.kind))?,
                Field::Many {
                    choices, ticked, ..
                } => {
                    let picked = choices.iter().zip(ticked).filter(|(_, t)| **t);
                    if param.kind == ParamKind::OtherTeams {
                        // TLP:RED's named teams: none is fine under other labels.
                        Arg::Teams(
                            picked
                                .filter_map(|(c, _)| match c.pick {
                                    Arg::Team(t) => Some(t),
                                    _ => None,
                                })
                                .collect(),
                        )
                    } else {
                        let chosen: Vec<EconomyIdx> = picked
                            .filter_map(|(c, _)| match c.pick {
                                Arg::Economy(e) => Some(e),
                                _ => None,
                            })
                            .collect();
                        if chosen.is_empty() {
                            return Err(
                                "tick at least one economy to share with (space)".to_string()
                            );
                        }
                        Arg::Economies(chosen)
                    }
                }
                Field::Number { value, .. } => Arg::Count(*value),
                Field::Text { value, .. } => {
                    if value.trim().is_empty() {
                        // A form with one text names it after the command ("the message").
                        let what = if texts == 1 { kind.label() } else { param.name };
                        return Err(format!("the {what} is empty: type some text"));
                    }
                    Arg::Text(value.trim().to_string())
                }
            };
            args.push((param.name, arg));
        }
        Command::from_args(kind, &args).map_err(|_| mismatch())
    }

    /// Copies the selected inject's current headline and text into the fields of those
    /// names (the facilitator edits an inject's wording from what it says now).
    fn load_inject_wording(&mut self, view: &View) {
        if self.purpose != Purpose::Command(CommandKind::EditInject) {
            return;
        }
        let Some(Arg::Inject(idx)) = self
            .fields
            .iter()
            .find(|f| f.label() == "inject")
            .and_then(Field::picked)
        else {
            return;
        };
        let Some(inject) = view.injects.iter().find(|i| i.idx == *idx) else {
            return;
        };
        let (headline, text) = (inject.headline.clone(), inject.text.clone());
        for field in &mut self.fields {
            if let Field::Text { label, value, .. } = field {
                match *label {
                    "headline" => value.clone_from(&headline),
                    "text" => value.clone_from(&text),
                    _ => {}
                }
            }
        }
    }
}

/// The feedback form's fields, in the order HSEEP's participant feedback asks them.
const FEEDBACK_FIELDS: [&str; 5] = ["went well", "to improve", "improvement", "owner", "due"];

/// An empty text field as long as the session accepts.
fn text_field(label: &'static str) -> Field {
    Field::Text {
        label,
        value: String::new(),
        max_chars: MAX_TEXT_CHARS,
    }
}

/// A list of texts to choose from, numbered from 1; each entry stands for its position.
fn numbered_choices<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<Choice> {
    texts
        .enumerate()
        .map(|(i, text)| Choice {
            text: format!("{}. {text}", i + 1),
            pick: Arg::Count(u32::try_from(i).unwrap_or(u32::MAX)),
        })
        .collect()
}

fn mismatch() -> String {
    "this form's fields do not match its command; close it (Esc) and open it again".to_string()
}

fn step_index(at: usize, len: usize, forward: bool) -> usize {
    if len == 0 {
        0
    } else if forward {
        (at + 1) % len
    } else {
        (at + len - 1) % len
    }
}

/// Messages and broadcasts open with the cursor in the text; other forms on the first field.
fn first_text_or_zero(kind: CommandKind, fields: &[Field]) -> usize {
    match kind {
        CommandKind::Message | CommandKind::Broadcast => fields
            .iter()
            .position(|f| matches!(f, Field::Text { .. }))
            .unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{facilitator_view, team_view};

    /// Every kind of the engine's catalogue gets its form from its catalogue entry alone:
    /// the form is titled with the kind's label and has one field per parameter, named
    /// and ordered as the catalogue names them (no per-command form code to add).
    #[test]
    fn every_command_of_the_catalogue_has_the_form_its_parameters_make() {
        for kind in CommandKind::ALL {
            let view = match kind.spec().issuer {
                Issuer::Facilitator => facilitator_view(),
                Issuer::Teams(_) => team_view(),
            };
            let form = Form::new(kind, &view, Prefill::default());
            assert_eq!(form.purpose.label(), kind.label(), "{kind:?}");
            let labels: Vec<&str> = form.fields.iter().map(Field::label).collect();
            let params: Vec<&str> = kind.spec().params.iter().map(|p| p.name).collect();
            assert_eq!(labels, params, "{kind:?}");
        }
    }
}
