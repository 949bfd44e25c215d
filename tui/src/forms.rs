//! Forms for every command a seat can send: each field is picked from a list built from
//! the latest view (incidents, assets, sectors, economies, teams, injects), never a
//! typed id; only free text (messages, inject wording) and small numbers are entered.

use cyberdrill_engine::command::{Actor, Command, IncidentId, Recipient, Tlp};
use cyberdrill_engine::scenario::model::{AssetIdx, EconomyIdx, InjectIdx, SectorIdx, TeamIdx};
use cyberdrill_engine::view::{IncidentView, Severity, Stage, View};

/// The kinds of command, one form each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    Investigate,
    Contain,
    Restore,
    HardenSector,
    AwarenessCampaign,
    ShareIndicators,
    RequestAssistance,
    ProvideAssistance,
    LegalAction,
    MutualLegalAssistance,
    Takedown,
    CoordinateOperators,
    Message,
    FireInject,
    EditInject,
    Broadcast,
}

/// Commands a team can send, in the order the Actions screen lists them.
pub const TEAM_COMMANDS: [CommandKind; 13] = [
    CommandKind::Investigate,
    CommandKind::Contain,
    CommandKind::Restore,
    CommandKind::HardenSector,
    CommandKind::AwarenessCampaign,
    CommandKind::ShareIndicators,
    CommandKind::RequestAssistance,
    CommandKind::ProvideAssistance,
    CommandKind::LegalAction,
    CommandKind::MutualLegalAssistance,
    CommandKind::Takedown,
    CommandKind::CoordinateOperators,
    CommandKind::Message,
];

/// Commands the facilitator can send.
pub const FACILITATOR_COMMANDS: [CommandKind; 4] = [
    CommandKind::FireInject,
    CommandKind::EditInject,
    CommandKind::Broadcast,
    CommandKind::Message,
];

/// Commands that act on one incident, offered when an incident is selected.
pub const INCIDENT_COMMANDS: [CommandKind; 6] = [
    CommandKind::Investigate,
    CommandKind::Contain,
    CommandKind::ShareIndicators,
    CommandKind::LegalAction,
    CommandKind::MutualLegalAssistance,
    CommandKind::Takedown,
];

impl CommandKind {
    pub fn label(self) -> &'static str {
        match self {
            CommandKind::Investigate => "investigate",
            CommandKind::Contain => "contain",
            CommandKind::Restore => "restore",
            CommandKind::HardenSector => "harden sector",
            CommandKind::AwarenessCampaign => "awareness campaign",
            CommandKind::ShareIndicators => "share indicators",
            CommandKind::RequestAssistance => "request assistance",
            CommandKind::ProvideAssistance => "provide assistance",
            CommandKind::LegalAction => "legal action",
            CommandKind::MutualLegalAssistance => "mutual legal assistance",
            CommandKind::Takedown => "takedown",
            CommandKind::CoordinateOperators => "coordinate operators",
            CommandKind::Message => "message",
            CommandKind::FireInject => "fire inject",
            CommandKind::EditInject => "edit inject",
            CommandKind::Broadcast => "broadcast",
        }
    }

    /// One line on what the action does, shown beside the list.
    pub fn about(self) -> &'static str {
        match self {
            CommandKind::Investigate => "Analyse a detected incident: campaign and indicators",
            CommandKind::Contain => "Isolate the compromised asset: stops further damage",
            CommandKind::Restore => "Bring an asset's service back (from backups)",
            CommandKind::HardenSector => "Raise patching and monitoring in one sector",
            CommandKind::AwarenessCampaign => "Public awareness campaign at home",
            CommandKind::ShareIndicators => "Send an investigated incident's indicators abroad",
            CommandKind::RequestAssistance => "Ask another economy for analysts",
            CommandKind::ProvideAssistance => "Lend analysts to another team",
            CommandKind::LegalAction => "Investigate and prosecute the actor at home",
            CommandKind::MutualLegalAssistance => {
                "Ask the economy hosting the actor for legal help"
            }
            CommandKind::Takedown => "Take down a fake site or harmful content",
            CommandKind::CoordinateOperators => "Work with a sector's private operators",
            CommandKind::Message => "Write to a team, an economy, the facilitator or all",
            CommandKind::FireInject => "Fire a pending inject now",
            CommandKind::EditInject => "Rewrite a pending inject's headline and text",
            CommandKind::Broadcast => "A message to every team",
        }
    }
}

/// A value a list field can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Incident(IncidentId),
    Asset(AssetIdx),
    Sector(SectorIdx),
    Economy(EconomyIdx),
    Team(TeamIdx),
    Inject(InjectIdx),
    Tlp(Tlp),
    Recipient(Recipient),
}

/// One entry of a list field: what the player reads and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub text: String,
    pub pick: Pick,
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
    pub fn label(&self) -> &'static str {
        match self {
            Field::One { label, .. }
            | Field::Many { label, .. }
            | Field::Number { label, .. }
            | Field::Text { label, .. } => label,
        }
    }

    fn picked(&self) -> Option<Pick> {
        match self {
            Field::One {
                choices, selected, ..
            } => choices.get(*selected).map(|c| c.pick),
            _ => None,
        }
    }
}

/// A command being composed: its kind, its fields and which one has the focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: CommandKind,
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
}

/// The economy of the viewer's team, if it is a team.
pub fn my_economy(view: &View) -> Option<EconomyIdx> {
    let team = view.my_team?;
    view.teams.iter().find(|t| t.idx == team).map(|t| t.economy)
}

/// Name of an asset as the view knows it, or its index.
pub fn asset_name(view: &View, asset: AssetIdx) -> String {
    view.assets
        .iter()
        .find(|a| a.idx == asset)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| format!("asset {}", asset.0))
}

pub fn economy_name(view: &View, economy: EconomyIdx) -> String {
    view.economies
        .iter()
        .find(|e| e.idx == economy)
        .map(|e| e.name.clone())
        .unwrap_or_else(|| format!("economy {}", economy.0))
}

pub fn team_name(view: &View, team: TeamIdx) -> String {
    view.teams
        .iter()
        .find(|t| t.idx == team)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| format!("team {}", team.0))
}

/// Who sent or receives something, in words.
pub fn actor_name(view: &View, actor: Actor) -> String {
    match actor {
        Actor::Team(team) => team_name(view, team),
        Actor::Facilitator => "Facilitator".to_string(),
    }
}

pub fn recipient_name(view: &View, to: Recipient) -> String {
    match to {
        Recipient::Team(team) => team_name(view, team),
        Recipient::Economy(economy) => format!("all of {}", economy_name(view, economy)),
        Recipient::Facilitator => "Facilitator".to_string(),
        Recipient::All => "everyone".to_string(),
    }
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

pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

pub fn stage_word(stage: Stage) -> &'static str {
    match stage {
        Stage::Reconnaissance => "recon",
        Stage::InitialAccess => "initial access",
        Stage::Foothold => "foothold",
        Stage::Impact => "impact",
    }
}

fn incident_choices(view: &View, keep: impl Fn(&IncidentView) -> bool) -> Vec<Choice> {
    view.incidents
        .iter()
        .filter(|i| keep(i))
        .map(|i| Choice {
            text: incident_line(view, i.id),
            pick: Pick::Incident(i.id),
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
            pick: Pick::Asset(a.idx),
        })
        .collect()
}

fn sector_choices(view: &View) -> Vec<Choice> {
    view.sectors
        .iter()
        .map(|s| Choice {
            text: s.name.clone(),
            pick: Pick::Sector(s.idx),
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
            pick: Pick::Economy(e.idx),
        })
        .collect()
}

fn other_team_choices(view: &View) -> Vec<Choice> {
    view.teams
        .iter()
        .filter(|t| Some(t.idx) != view.my_team)
        .map(|t| Choice {
            text: t.name.clone(),
            pick: Pick::Team(t.idx),
        })
        .collect()
}

fn recipient_choices(view: &View) -> Vec<Choice> {
    let mut out = vec![Choice {
        text: "everyone".to_string(),
        pick: Pick::Recipient(Recipient::All),
    }];
    if view.my_team.is_some() {
        out.push(Choice {
            text: "Facilitator".to_string(),
            pick: Pick::Recipient(Recipient::Facilitator),
        });
    }
    for team in view.teams.iter().filter(|t| Some(t.idx) != view.my_team) {
        out.push(Choice {
            text: team.name.clone(),
            pick: Pick::Recipient(Recipient::Team(team.idx)),
        });
    }
    for economy in &view.economies {
        out.push(Choice {
            text: format!("all of {}", economy.name),
            pick: Pick::Recipient(Recipient::Economy(economy.idx)),
        });
    }
    out
}

fn pending_inject_choices(view: &View) -> Vec<Choice> {
    view.injects
        .iter()
        .filter(|i| i.fired_at.is_none())
        .map(|i| Choice {
            text: i.headline.clone(),
            pick: Pick::Inject(i.idx),
        })
        .collect()
}

fn tlp_choices() -> Vec<Choice> {
    [
        ("TLP:AMBER (organisations, need-to-know)", Tlp::Amber),
        ("TLP:GREEN (community)", Tlp::Green),
        ("TLP:CLEAR (public)", Tlp::Clear),
        ("TLP:RED (named recipients only)", Tlp::Red),
    ]
    .into_iter()
    .map(|(text, tlp)| Choice {
        text: text.to_string(),
        pick: Pick::Tlp(tlp),
    })
    .collect()
}

/// A list field with the entry matching `want` selected (the first otherwise).
fn one(label: &'static str, choices: Vec<Choice>, want: Option<Pick>) -> Field {
    let selected = want
        .and_then(|w| choices.iter().position(|c| c.pick == w))
        .unwrap_or(0);
    Field::One {
        label,
        choices,
        selected,
    }
}

fn many(label: &'static str, choices: Vec<Choice>) -> Field {
    let ticked = vec![false; choices.len()];
    Field::Many {
        label,
        choices,
        ticked,
        cursor: 0,
    }
}

fn text(label: &'static str, value: &str, max_chars: usize) -> Field {
    Field::Text {
        label,
        value: value.to_string(),
        max_chars,
    }
}

const MESSAGE_MAX_CHARS: usize = 500;

impl Form {
    /// A form for `kind`, its lists filled from `view` and preselected from `prefill`.
    pub fn new(kind: CommandKind, view: &View, prefill: Prefill) -> Form {
        let incident = prefill.incident.map(Pick::Incident);
        let fields = match kind {
            CommandKind::Investigate | CommandKind::LegalAction | CommandKind::Takedown => {
                vec![one("incident", incident_choices(view, |_| true), incident)]
            }
            CommandKind::Contain => vec![one(
                "incident",
                incident_choices(view, |i| i.contained_at.is_none()),
                incident,
            )],
            CommandKind::Restore => vec![one(
                "asset",
                own_asset_choices(view),
                prefill.asset.map(Pick::Asset),
            )],
            CommandKind::HardenSector | CommandKind::CoordinateOperators => {
                vec![one("sector", sector_choices(view), None)]
            }
            CommandKind::AwarenessCampaign => Vec::new(),
            CommandKind::ShareIndicators => vec![
                one(
                    "incident",
                    incident_choices(view, |i| i.investigated),
                    incident,
                ),
                many("with", other_economy_choices(view)),
                one("label", tlp_choices(), None),
            ],
            CommandKind::RequestAssistance => vec![
                one("from", other_economy_choices(view), None),
                Field::Number {
                    label: "analysts",
                    value: 1,
                    min: 1,
                    max: 20,
                },
            ],
            CommandKind::ProvideAssistance => vec![
                one("to", other_team_choices(view), None),
                Field::Number {
                    label: "analysts",
                    value: 1,
                    min: 1,
                    max: view.analysts.free().max(1),
                },
            ],
            CommandKind::MutualLegalAssistance => vec![
                one("incident", incident_choices(view, |_| true), incident),
                one("to", other_economy_choices(view), None),
            ],
            CommandKind::Message => vec![
                one(
                    "to",
                    recipient_choices(view),
                    prefill.recipient.map(Pick::Recipient),
                ),
                text("text", "", MESSAGE_MAX_CHARS),
            ],
            CommandKind::FireInject => vec![one(
                "inject",
                pending_inject_choices(view),
                prefill.inject.map(Pick::Inject),
            )],
            CommandKind::EditInject => {
                let mut form = vec![
                    one(
                        "inject",
                        pending_inject_choices(view),
                        prefill.inject.map(Pick::Inject),
                    ),
                    text("headline", "", 120),
                    text("text", "", MESSAGE_MAX_CHARS),
                ];
                load_inject_wording(&mut form, view);
                form
            }
            CommandKind::Broadcast => vec![text("text", "", MESSAGE_MAX_CHARS)],
        };
        let focus = first_text_or_zero(kind, &fields);
        Form {
            kind,
            fields,
            focus,
            problem: None,
        }
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
        if self.kind == CommandKind::EditInject && self.focus == 0 {
            load_inject_wording(&mut self.fields, view);
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
        Ok(match self.kind {
            CommandKind::Investigate => Command::Investigate {
                incident: self.incident(0)?,
            },
            CommandKind::Contain => Command::Contain {
                incident: self.incident(0)?,
            },
            CommandKind::LegalAction => Command::LegalAction {
                incident: self.incident(0)?,
            },
            CommandKind::Takedown => Command::Takedown {
                incident: self.incident(0)?,
            },
            CommandKind::Restore => match self.pick(0, "asset of yours")? {
                Pick::Asset(asset) => Command::Restore { asset },
                _ => return Err(mismatch()),
            },
            CommandKind::HardenSector => Command::HardenSector {
                sector: self.sector(0)?,
            },
            CommandKind::CoordinateOperators => Command::CoordinateOperators {
                sector: self.sector(0)?,
            },
            CommandKind::AwarenessCampaign => Command::AwarenessCampaign,
            CommandKind::ShareIndicators => {
                let incident = self.incident(0).map_err(|_| {
                    "no investigated incident to share: investigate one first".to_string()
                })?;
                let with = self.ticked_economies(1)?;
                let tlp = match self.pick(2, "label")? {
                    Pick::Tlp(tlp) => tlp,
                    _ => return Err(mismatch()),
                };
                Command::ShareIndicators {
                    incident,
                    with,
                    tlp,
                }
            }
            CommandKind::RequestAssistance => Command::RequestAssistance {
                from: self.economy(0)?,
                analysts: self.number(1),
            },
            CommandKind::ProvideAssistance => match self.pick(0, "other team")? {
                Pick::Team(to) => Command::ProvideAssistance {
                    to,
                    analysts: self.number(1),
                },
                _ => return Err(mismatch()),
            },
            CommandKind::MutualLegalAssistance => Command::MutualLegalAssistance {
                incident: self.incident(0)?,
                to: self.economy(1)?,
            },
            CommandKind::Message => match self.pick(0, "recipient")? {
                Pick::Recipient(to) => Command::Message {
                    to,
                    text: self.text(1, "message")?,
                },
                _ => return Err(mismatch()),
            },
            CommandKind::FireInject => Command::FireInject {
                inject: self.inject(0)?,
            },
            CommandKind::EditInject => Command::EditInject {
                inject: self.inject(0)?,
                headline: self.text(1, "headline")?,
                text: self.text(2, "text")?,
            },
            CommandKind::Broadcast => Command::Broadcast {
                text: self.text(0, "broadcast")?,
            },
        })
    }

    fn pick(&self, at: usize, what: &str) -> Result<Pick, String> {
        self.fields
            .get(at)
            .and_then(Field::picked)
            .ok_or_else(|| format!("there is no {what} to choose yet"))
    }

    fn incident(&self, at: usize) -> Result<IncidentId, String> {
        match self.pick(at, "known incident")? {
            Pick::Incident(id) => Ok(id),
            _ => Err(mismatch()),
        }
    }

    fn sector(&self, at: usize) -> Result<SectorIdx, String> {
        match self.pick(at, "sector")? {
            Pick::Sector(s) => Ok(s),
            _ => Err(mismatch()),
        }
    }

    fn economy(&self, at: usize) -> Result<EconomyIdx, String> {
        match self.pick(at, "other economy")? {
            Pick::Economy(e) => Ok(e),
            _ => Err(mismatch()),
        }
    }

    fn inject(&self, at: usize) -> Result<InjectIdx, String> {
        match self.pick(at, "pending inject")? {
            Pick::Inject(i) => Ok(i),
            _ => Err(mismatch()),
        }
    }

    fn ticked_economies(&self, at: usize) -> Result<Vec<EconomyIdx>, String> {
        let Some(Field::Many {
            choices, ticked, ..
        }) = self.fields.get(at)
        else {
            return Err(mismatch());
        };
        let chosen: Vec<EconomyIdx> = choices
            .iter()
            .zip(ticked)
            .filter(|(_, t)| **t)
            .filter_map(|(c, _)| match c.pick {
                Pick::Economy(e) => Some(e),
                _ => None,
            })
            .collect();
        if chosen.is_empty() {
            return Err("tick at least one economy to share with (space)".to_string());
        }
        Ok(chosen)
    }

    fn number(&self, at: usize) -> u32 {
        match self.fields.get(at) {
            Some(Field::Number { value, .. }) => *value,
            _ => 0,
        }
    }

    fn text(&self, at: usize, what: &str) -> Result<String, String> {
        match self.fields.get(at) {
            Some(Field::Text { value, .. }) if !value.trim().is_empty() => {
                Ok(value.trim().to_string())
            }
            _ => Err(format!("the {what} is empty: type some text")),
        }
    }
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

/// Copies the selected inject's current headline and text into the edit form.
fn load_inject_wording(fields: &mut [Field], view: &View) {
    let Some(Pick::Inject(idx)) = fields.first().and_then(Field::picked) else {
        return;
    };
    let Some(inject) = view.injects.iter().find(|i| i.idx == idx) else {
        return;
    };
    if let Some(Field::Text { value, .. }) = fields.get_mut(1) {
        *value = inject.headline.clone();
    }
    if let Some(Field::Text { value, .. }) = fields.get_mut(2) {
        *value = inject.text.clone();
    }
}
