//! What teams (and the facilitator) can do: commands are data, validated once at the
//! facade's door ([`crate::Simulation::submit`]) and journaled as they were accepted.
//!
//! The actions are those of the source documents: watch, warning, incident response
//! and recovery (APEC action area 3; ITU GCA technical measures), information sharing
//! across borders (APEC 7; ITU "share information"), mutual legal assistance (APEC 2;
//! ITU legal measures), public-private partnership (APEC 4), user awareness (APEC 5).

use serde::{Deserialize, Serialize};

use crate::scenario::model::{
    AssetIdx, DecisionIdx, EconomyIdx, InjectIdx, Readiness, Role, SectorIdx, TeamIdx,
};
use Role::{Csirt, LawEnforcement, Operator, Regulator};

/// Who is acting or looking: a team, or the facilitator (the exercise's "white cell").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Team(TeamIdx),
    Facilitator,
}

/// Stable id of an incident, assigned in creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IncidentId(pub u32);

/// Stable id of a team task, assigned in acceptance order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaskId(pub u32);

/// Traffic Light Protocol label on shared information (FIRST, *Traffic Light Protocol
/// (TLP) 2.0*, 2022), from the most open to the most restrictive; the one label type of
/// commands, scenario conditions and views. Who may receive information under each, in
/// the exercise (`docs/model.md`, "Shared information"):
/// CLEAR anyone (published: every economy, and the public's awareness); GREEN the
/// community (every team of the region); AMBER the recipient organisation and its
/// clients (every team of each recipient economy); AMBER+STRICT the recipient
/// organisation only (the recipient economy's CSIRT); RED the named recipients only (the
/// teams named).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tlp {
    /// No limit on disclosure: may be published.
    Clear,
    /// Limited disclosure within the community: every team of the region.
    Green,
    /// The recipient organisation and its clients, need-to-know: the recipient economies'
    /// teams.
    Amber,
    /// The recipient organisation only: the recipient economy's CSIRT.
    #[serde(alias = "amber+strict")]
    AmberStrict,
    /// For the eyes of the named recipients only: the named teams.
    Red,
}

impl Tlp {
    /// Every label, the most open first.
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];
}

/// Who a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Team(TeamIdx),
    /// Every team of one economy.
    Economy(EconomyIdx),
    Facilitator,
    /// Every team and the facilitator.
    All,
}

/// An action. Team actions take ticks and analysts and become tasks; messages and
/// facilitator actions take effect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Analyse a detected incident: identifies the campaign and its indicators.
    Investigate { incident: IncidentId },
    /// Isolate the compromised asset: stops the attack's progress and further damage.
    Contain { incident: IncidentId },
    /// Bring an asset's service back (from backups after destructive attacks).
    Restore { asset: AssetIdx },
    /// Raise patching and monitoring of one's own assets in a sector.
    HardenSector { sector: SectorIdx },
    /// Public awareness campaign in one's own economy (APEC action area 5).
    AwarenessCampaign,
    /// Send an investigated incident's indicators abroad under a TLP label: to the
    /// `with` economies (AMBER: all their teams; AMBER+STRICT: their CSIRTs), the whole
    /// region (GREEN, CLEAR) or the named `teams` only (RED).
    ShareIndicators {
        incident: IncidentId,
        with: Vec<EconomyIdx>,
        tlp: Tlp,
        /// The named recipients of TLP:RED (ignored under other labels).
        #[serde(default)]
        teams: Vec<TeamIdx>,
    },
    /// Tell another economy's CSIRT which of its assets talk to the servers of a
    /// campaign investigated at home (detection from outside).
    Notify {
        incident: IncidentId,
        to: EconomyIdx,
    },
    /// Ask another economy for analysts.
    RequestAssistance { from: EconomyIdx, analysts: u32 },
    /// Lend analysts to another team.
    ProvideAssistance { to: TeamIdx, analysts: u32 },
    /// Domestic investigation and prosecution of the actor behind an incident.
    LegalAction { incident: IncidentId },
    /// Mutual legal assistance request to the economy hosting the actor's infrastructure.
    MutualLegalAssistance {
        incident: IncidentId,
        to: EconomyIdx,
    },
    /// Take down a fake website or harmful content behind an incident.
    Takedown { incident: IncidentId },
    /// Report a harmful-content incident of one's own economy to a hotline or the police
    /// (child online protection): the children it reached are followed up (safeguarded).
    Refer { incident: IncidentId },
    /// Coordinate with the private operators of a sector (public-private partnership).
    CoordinateOperators { sector: SectorIdx },
    /// Train one's own economy's staff on one readiness pillar (courses and exercises):
    /// the pillar rises when the training ends.
    Train { pillar: Pillar },
    /// Capacity-building assistance: train another economy's staff on one pillar; it
    /// rises there when the training ends, never above the trainers' own score.
    BuildCapacity { to: EconomyIdx, pillar: Pillar },
    /// A message to other teams or the facilitator.
    Message { to: Recipient, text: String },
    /// Settle a decision point offered to the team on one of its options (index in the
    /// decision's options); its effects apply at the start of the next tick.
    Decide { decision: DecisionIdx, option: u32 },
    /// Facilitator: fire an inject now.
    FireInject { inject: InjectIdx },
    /// Facilitator: rewrite an inject that has not fired yet.
    EditInject {
        inject: InjectIdx,
        headline: String,
        text: String,
    },
    /// Facilitator: a message to everybody.
    Broadcast { text: String },
}

impl Command {
    /// Which kind of command this is: its entry in the catalogue.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Investigate { .. } => CommandKind::Investigate,
            Command::Contain { .. } => CommandKind::Contain,
            Command::Restore { .. } => CommandKind::Restore,
            Command::HardenSector { .. } => CommandKind::HardenSector,
            Command::AwarenessCampaign => CommandKind::AwarenessCampaign,
            Command::ShareIndicators { .. } => CommandKind::ShareIndicators,
            Command::Notify { .. } => CommandKind::Notify,
            Command::RequestAssistance { .. } => CommandKind::RequestAssistance,
            Command::ProvideAssistance { .. } => CommandKind::ProvideAssistance,
            Command::LegalAction { .. } => CommandKind::LegalAction,
            Command::MutualLegalAssistance { .. } => CommandKind::MutualLegalAssistance,
            Command::Takedown { .. } => CommandKind::Takedown,
            Command::Refer { .. } => CommandKind::Refer,
            Command::CoordinateOperators { .. } => CommandKind::CoordinateOperators,
            Command::Train { .. } => CommandKind::Train,
            Command::BuildCapacity { .. } => CommandKind::BuildCapacity,
            Command::Message { .. } => CommandKind::Message,
            Command::Decide { .. } => CommandKind::Decide,
            Command::FireInject { .. } => CommandKind::FireInject,
            Command::EditInject { .. } => CommandKind::EditInject,
            Command::Broadcast { .. } => CommandKind::Broadcast,
        }
    }

    /// Short human name of the action, for task lists and timelines.
    pub fn label(&self) -> &'static str {
        self.kind().label()
    }

    /// Whether only the facilitator may issue this command.
    pub fn is_facilitator_only(&self) -> bool {
        self.kind().spec().issuer == Issuer::Facilitator
    }

    /// Analysts the command occupies while it runs.
    pub fn analysts(&self) -> u32 {
        match (self.kind().spec().analysts, self) {
            (Analysts::Fixed(n), _) => n,
            (Analysts::Lent, Command::ProvideAssistance { analysts, .. }) => *analysts,
            (Analysts::None | Analysts::Lent, _) => 0,
        }
    }

    /// The incident the command acts on, if one of its parameters is an incident. A
    /// match rather than a search of [`Command::args`] (which copies the arguments):
    /// every accepted command asks. A test checks it against the catalogue's parameters.
    pub fn incident(&self) -> Option<IncidentId> {
        match self {
            Command::Investigate { incident }
            | Command::Contain { incident }
            | Command::ShareIndicators { incident, .. }
            | Command::Notify { incident, .. }
            | Command::LegalAction { incident }
            | Command::MutualLegalAssistance { incident, .. }
            | Command::Takedown { incident }
            | Command::Refer { incident } => Some(*incident),
            Command::Restore { .. }
            | Command::HardenSector { .. }
            | Command::AwarenessCampaign
            | Command::RequestAssistance { .. }
            | Command::ProvideAssistance { .. }
            | Command::CoordinateOperators { .. }
            | Command::Train { .. }
            | Command::BuildCapacity { .. }
            | Command::Message { .. }
            | Command::Decide { .. }
            | Command::FireInject { .. }
            | Command::EditInject { .. }
            | Command::Broadcast { .. } => None,
        }
    }

    /// The command's arguments by parameter name, in the catalogue's order.
    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let names = self.kind().spec().params.iter().map(|p| p.name);
        let values = match self.clone() {
            Command::Investigate { incident }
            | Command::Contain { incident }
            | Command::LegalAction { incident }
            | Command::Takedown { incident }
            | Command::Refer { incident } => vec![Arg::Incident(incident)],
            Command::Restore { asset } => vec![Arg::Asset(asset)],
            Command::HardenSector { sector } | Command::CoordinateOperators { sector } => {
                vec![Arg::Sector(sector)]
            }
            Command::AwarenessCampaign => Vec::new(),
            Command::Train { pillar } => vec![Arg::Pillar(pillar)],
            Command::BuildCapacity { to, pillar } => vec![Arg::Economy(to), Arg::Pillar(pillar)],
            Command::ShareIndicators {
                incident,
                with,
                tlp,
                teams,
            } => vec![
                Arg::Incident(incident),
                Arg::Economies(with),
                Arg::Tlp(tlp),
                Arg::Teams(teams),
            ],
            Command::RequestAssistance { from, analysts } => {
                vec![Arg::Economy(from), Arg::Count(analysts)]
            }
            Command::ProvideAssistance { to, analysts } => {
                vec![Arg::Team(to), Arg::Count(analysts)]
            }
            Command::MutualLegalAssistance { incident, to } | Command::Notify { incident, to } => {
                vec![Arg::Incident(incident), Arg::Economy(to)]
            }
            Command::Message { to, text } => vec![Arg::Recipient(to), Arg::Text(text)],
            Command::Decide { decision, option } => vec![Arg::Choice { decision, option }],
            Command::FireInject { inject } => vec![Arg::Inject(inject)],
            Command::EditInject {
                inject,
                headline,
                text,
            } => vec![Arg::Inject(inject), Arg::Text(headline), Arg::Text(text)],
            Command::Broadcast { text } => vec![Arg::Text(text)],
        };
        names.zip(values).collect()
    }

    /// The command of `kind` with these arguments (by parameter name, in any order): how
    /// a form turns its named fields into a command.
    pub fn from_args(kind: CommandKind, args: &[(&str, Arg)]) -> Result<Command, ArgError> {
        let a = Args { kind, args };
        Ok(match kind {
            CommandKind::Investigate => Command::Investigate {
                incident: a.incident("incident")?,
            },
            CommandKind::Contain => Command::Contain {
                incident: a.incident("incident")?,
            },
            CommandKind::Restore => Command::Restore {
                asset: a.asset("asset")?,
            },
            CommandKind::HardenSector => Command::HardenSector {
                sector: a.sector("sector")?,
            },
            CommandKind::AwarenessCampaign => Command::AwarenessCampaign,
            CommandKind::ShareIndicators => Command::ShareIndicators {
                incident: a.incident("incident")?,
                with: a.economies("with")?,
                tlp: a.tlp("label")?,
                teams: a.teams("teams")?,
            },
            CommandKind::Notify => Command::Notify {
                incident: a.incident("incident")?,
                to: a.economy("to")?,
            },
            CommandKind::RequestAssistance => Command::RequestAssistance {
                from: a.economy("from")?,
                analysts: a.count("analysts")?,
            },
            CommandKind::ProvideAssistance => Command::ProvideAssistance {
                to: a.team("to")?,
                analysts: a.count("analysts")?,
            },
            CommandKind::LegalAction => Command::LegalAction {
                incident: a.incident("incident")?,
            },
            CommandKind::MutualLegalAssistance => Command::MutualLegalAssistance {
                incident: a.incident("incident")?,
                to: a.economy("to")?,
            },
            CommandKind::Takedown => Command::Takedown {
                incident: a.incident("incident")?,
            },
            CommandKind::Refer => Command::Refer {
                incident: a.incident("incident")?,
            },
            CommandKind::CoordinateOperators => Command::CoordinateOperators {
                sector: a.sector("sector")?,
            },
            CommandKind::Train => Command::Train {
                pillar: a.pillar("pillar")?,
            },
            CommandKind::BuildCapacity => Command::BuildCapacity {
                to: a.economy("to")?,
                pillar: a.pillar("pillar")?,
            },
            CommandKind::Message => Command::Message {
                to: a.recipient("to")?,
                text: a.text("text")?,
            },
            CommandKind::Decide => {
                let (decision, option) = a.choice("choice")?;
                Command::Decide { decision, option }
            }
            CommandKind::FireInject => Command::FireInject {
                inject: a.inject("inject")?,
            },
            CommandKind::EditInject => Command::EditInject {
                inject: a.inject("inject")?,
                headline: a.text("headline")?,
                text: a.text("text")?,
            },
            CommandKind::Broadcast => Command::Broadcast {
                text: a.text("text")?,
            },
        })
    }
}

/// The value of one parameter of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Incident(IncidentId),
    Asset(AssetIdx),
    Sector(SectorIdx),
    Economy(EconomyIdx),
    Economies(Vec<EconomyIdx>),
    Team(TeamIdx),
    /// Several teams (TLP:RED's named recipients; may be empty).
    Teams(Vec<TeamIdx>),
    Tlp(Tlp),
    Pillar(Pillar),
    Count(u32),
    Recipient(Recipient),
    Inject(InjectIdx),
    Text(String),
    /// An option of a decision point.
    Choice {
        decision: DecisionIdx,
        option: u32,
    },
}

/// A parameter [`Command::from_args`] did not get, or got as another type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} needs its `{name}` parameter (missing or of another type)")]
pub struct ArgError {
    pub kind: CommandKind,
    pub name: &'static str,
}

/// Named lookup in the arguments given to [`Command::from_args`].
struct Args<'a> {
    kind: CommandKind,
    args: &'a [(&'a str, Arg)],
}

macro_rules! arg_getter {
    ($($fn:ident: $variant:ident -> $ty:ty),* $(,)?) => {$(
        fn $fn(&self, name: &'static str) -> Result<$ty, ArgError> {
            match self.get(name) {
                Some(Arg::$variant(value)) => Ok(value.clone()),
                _ => Err(ArgError { kind: self.kind, name }),
            }
        }
    )*};
}

impl Args<'_> {
    fn get(&self, name: &str) -> Option<&Arg> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, arg)| arg)
    }

    arg_getter!(
        incident: Incident -> IncidentId,
        asset: Asset -> AssetIdx,
        sector: Sector -> SectorIdx,
        economy: Economy -> EconomyIdx,
        economies: Economies -> Vec<EconomyIdx>,
        team: Team -> TeamIdx,
        teams: Teams -> Vec<TeamIdx>,
        tlp: Tlp -> Tlp,
        pillar: Pillar -> Pillar,
        count: Count -> u32,
        recipient: Recipient -> Recipient,
        inject: Inject -> InjectIdx,
        text: Text -> String,
    );

    fn choice(&self, name: &'static str) -> Result<(DecisionIdx, u32), ArgError> {
        match self.get(name) {
            Some(Arg::Choice { decision, option }) => Ok((*decision, *option)),
            _ => Err(ArgError {
                kind: self.kind,
                name,
            }),
        }
    }
}

impl CommandKind {
    /// Every kind, in the order menus list them (team actions, then the facilitator's).
    pub const ALL: [CommandKind; 21] = [
        CommandKind::Investigate,
        CommandKind::Contain,
        CommandKind::Restore,
        CommandKind::HardenSector,
        CommandKind::AwarenessCampaign,
        CommandKind::ShareIndicators,
        CommandKind::Notify,
        CommandKind::RequestAssistance,
        CommandKind::ProvideAssistance,
        CommandKind::LegalAction,
        CommandKind::MutualLegalAssistance,
        CommandKind::Takedown,
        CommandKind::Refer,
        CommandKind::CoordinateOperators,
        CommandKind::Train,
        CommandKind::BuildCapacity,
        CommandKind::Message,
        CommandKind::Decide,
        CommandKind::FireInject,
        CommandKind::EditInject,
        CommandKind::Broadcast,
    ];

    /// Its entry in the catalogue.
    pub fn spec(self) -> &'static CommandSpec {
        &CATALOGUE[self as usize]
    }

    /// Short name, for menus, task lists and timelines.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// What it does as a verb phrase, to end a sentence: `take legal action`.
    pub fn verb(self) -> &'static str {
        self.spec().verb
    }

    /// One line on what it does.
    pub fn description(self) -> &'static str {
        self.spec().description
    }

    /// The roles of the teams that may send it (none: the facilitator's).
    pub fn roles(self) -> &'static [Role] {
        match self.spec().issuer {
            Issuer::Teams(roles) => roles,
            Issuer::Facilitator => &[],
        }
    }

    /// Whether a team of `role` may send it.
    pub fn allowed_to(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// Whether it acts on one incident (offered when an incident is selected).
    pub fn on_incident(self) -> bool {
        self.spec()
            .params
            .first()
            .is_some_and(|p| matches!(p.kind, ParamKind::Incident(_)))
    }
}

/// The kinds of command, one per [`Command`] variant: the key of the catalogue
/// ([`CommandKind::spec`]) that menus, forms, the door's rules, bots and the server read,
/// so that what a command is called, who may send it and what it costs is written once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Investigate,
    Contain,
    Restore,
    HardenSector,
    AwarenessCampaign,
    ShareIndicators,
    Notify,
    RequestAssistance,
    ProvideAssistance,
    LegalAction,
    MutualLegalAssistance,
    Takedown,
    Refer,
    CoordinateOperators,
    Train,
    BuildCapacity,
    Message,
    Decide,
    FireInject,
    EditInject,
    Broadcast,
}

/// Who may send a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// Teams of these roles.
    Teams(&'static [Role]),
    /// The facilitator only (the exercise's "white cell").
    Facilitator,
}

/// How many analysts a command occupies while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysts {
    /// None: it takes effect at once.
    None,
    /// This many of the team's own.
    Fixed(u32),
    /// As many as the command lends (they work for another team).
    Lent,
}

/// A pillar of readiness: the five work areas of the ITU Global Cybersecurity Agenda,
/// the five pillars the ITU Global Cybersecurity Index scores (GCI 2020, 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pillar {
    Legal,
    Technical,
    Organizational,
    Capacity,
    Cooperation,
}

impl Pillar {
    /// Every pillar, in the GCI's order.
    pub const ALL: [Pillar; 5] = [
        Pillar::Legal,
        Pillar::Technical,
        Pillar::Organizational,
        Pillar::Capacity,
        Pillar::Cooperation,
    ];

    /// The economy's score on this pillar, 0-100.
    pub fn of(self, readiness: Readiness) -> u8 {
        match self {
            Pillar::Legal => readiness.legal,
            Pillar::Technical => readiness.technical,
            Pillar::Organizational => readiness.organizational,
            Pillar::Capacity => readiness.capacity,
            Pillar::Cooperation => readiness.cooperation,
        }
    }

    /// The score on this pillar, to change.
    pub fn of_mut(self, readiness: &mut Readiness) -> &mut u8 {
        match self {
            Pillar::Legal => &mut readiness.legal,
            Pillar::Technical => &mut readiness.technical,
            Pillar::Organizational => &mut readiness.organizational,
            Pillar::Capacity => &mut readiness.capacity,
            Pillar::Cooperation => &mut readiness.cooperation,
        }
    }

    /// Its name, lower case: `technical`.
    pub fn name(self) -> &'static str {
        match self {
            Pillar::Legal => "legal",
            Pillar::Technical => "technical",
            Pillar::Organizational => "organizational",
            Pillar::Capacity => "capacity development",
            Pillar::Cooperation => "cooperation",
        }
    }
}

/// How many ticks a command takes; the formulas are in `docs/model.md` ("Team
/// actions") and computed by [`crate::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// Takes effect at once (messages, facilitator actions).
    Instant,
    /// `base x (150 - r) / 100` hours of work, `r` the acting economy's readiness on the
    /// pillar, rounded up to whole ticks ([`crate::rules::work_ticks`]).
    Readiness { base: u32, pillar: Pillar },
    /// The same formula on the backups of the asset it restores.
    Backups { base: u32 },
    /// The mutual legal assistance delay between the two economies, scaled by their
    /// mean legal readiness.
    LegalAssistance,
    /// The lent analysts' journey (the assistance delay) plus the ticks they stay.
    Loan,
}

/// Which incidents an incident parameter may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentChoice {
    /// Any the team's economy knows of.
    Known,
    /// Known and not contained yet.
    Uncontained,
    /// Known and investigated (its indicators are known).
    Investigated,
}

/// What a parameter of a command names, and from which list a form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Incident(IncidentChoice),
    /// An asset of the team's own economy.
    OwnAsset,
    Sector,
    /// One economy other than the team's own.
    OtherEconomy,
    /// Several economies other than the team's own.
    OtherEconomies,
    /// A team other than the sender.
    OtherTeam,
    /// Any number of teams of other economies (TLP:RED's named recipients).
    OtherTeams,
    Tlp,
    /// A readiness pillar.
    Pillar,
    /// A number of analysts, at least one, at most `max`.
    Analysts {
        max: AnalystsLimit,
    },
    Recipient,
    /// An inject that has not fired yet.
    PendingInject,
    /// An option of a decision point offered to the team and not settled yet.
    OpenChoice,
    /// Free text of at most `max_chars` characters (as a form takes it; the door allows
    /// up to [`crate::rules::MAX_TEXT`]).
    Text {
        max_chars: usize,
    },
}

/// The largest number of analysts a form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalystsLimit {
    Fixed(u32),
    /// The team's free analysts.
    Free,
}

/// One parameter of a command: its name (the field of the [`Command`] variant and the
/// label of its form field) and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub kind: ParamKind,
}

/// Whose view an accepted command changes besides the sender's and the facilitator's
/// (who sees everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Nobody else until the next tick: it acts on the sender's own economy.
    Sender,
    /// The teams its parameters name (an economy's teams, a team, a message's recipients).
    Named,
    /// Every team.
    Everyone,
}

/// One entry of the catalogue: everything about a kind of command that is not its
/// validation against the state ([`crate::rules`]) or its effect ([`crate::systems`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub kind: CommandKind,
    /// Short name, for menus, task lists and timelines (`contain`).
    pub label: &'static str,
    /// What it does as a verb phrase that ends a sentence ("a CSIRT team may not
    /// *take legal action*"), for refusals.
    pub verb: &'static str,
    /// One line on what it does, beside a menu.
    pub description: &'static str,
    pub issuer: Issuer,
    pub analysts: Analysts,
    pub duration: Duration,
    /// In the order of the variant's fields.
    pub params: &'static [Param],
    /// What it acts on, in words: `{name}` stands for the named parameter's value as
    /// [`crate::names::Names`] words it.
    pub target: &'static str,
    pub reach: Reach,
    /// Refused while the same command from the same economy is still running.
    pub one_at_a_time: bool,
}

const INCIDENT: Param = Param {
    name: "incident",
    kind: ParamKind::Incident(IncidentChoice::Known),
};
const SECTOR: Param = Param {
    name: "sector",
    kind: ParamKind::Sector,
};
const PILLAR: Param = Param {
    name: "pillar",
    kind: ParamKind::Pillar,
};
/// Longest message or broadcast a form takes.
const MESSAGE_CHARS: usize = 500;

static CATALOGUE: [CommandSpec; 21] = [
    CommandSpec {
        kind: CommandKind::Investigate,
        label: "investigate",
        verb: "investigate an incident",
        description: "Analyse a detected incident: campaign and indicators",
        issuer: Issuer::Teams(&[Csirt, Operator]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 3,
            pillar: Pillar::Technical,
        },
        params: &[INCIDENT],
        target: "{incident}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Contain,
        label: "contain",
        verb: "contain an incident",
        description: "Isolate the compromised asset: stops further damage",
        issuer: Issuer::Teams(&[Csirt, Operator]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 2,
            pillar: Pillar::Technical,
        },
        params: &[Param {
            name: "incident",
            kind: ParamKind::Incident(IncidentChoice::Uncontained),
        }],
        target: "{incident}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Restore,
        label: "restore",
        verb: "restore an asset",
        description: "Bring an asset's service back (from backups)",
        issuer: Issuer::Teams(&[Csirt, Operator]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Backups { base: 6 },
        params: &[Param {
            name: "asset",
            kind: ParamKind::OwnAsset,
        }],
        target: "{asset}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::HardenSector,
        label: "harden sector",
        verb: "harden a sector",
        description: "Raise patching and monitoring in one sector",
        issuer: Issuer::Teams(&[Regulator, Operator]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 8,
            pillar: Pillar::Organizational,
        },
        params: &[SECTOR],
        target: "{sector}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::AwarenessCampaign,
        label: "awareness campaign",
        verb: "run an awareness campaign",
        description: "Public awareness campaign at home",
        issuer: Issuer::Teams(&[Csirt, Regulator]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 12,
            pillar: Pillar::Capacity,
        },
        params: &[],
        target: "the public",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::ShareIndicators,
        label: "share indicators",
        verb: "share indicators",
        description: "Send an investigated incident's indicators abroad",
        issuer: Issuer::Teams(&[Csirt]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 1,
            pillar: Pillar::Cooperation,
        },
        params: &[
            Param {
                name: "incident",
                kind: ParamKind::Incident(IncidentChoice::Investigated),
            },
            Param {
                name: "with",
                kind: ParamKind::OtherEconomies,
            },
            Param {
                name: "label",
                kind: ParamKind::Tlp,
            },
            Param {
                name: "teams",
                kind: ParamKind::OtherTeams,
            },
        ],
        target: "{incident} to {with} ({label})",
        reach: Reach::Named,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Notify,
        label: "notify CSIRT",
        verb: "notify another CSIRT",
        description: "Tell another economy which of its assets talk to a campaign's servers",
        issuer: Issuer::Teams(&[Csirt]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 1,
            pillar: Pillar::Cooperation,
        },
        params: &[
            Param {
                name: "incident",
                kind: ParamKind::Incident(IncidentChoice::Investigated),
            },
            Param {
                name: "to",
                kind: ParamKind::OtherEconomy,
            },
        ],
        target: "{to} about {incident}",
        reach: Reach::Named,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::RequestAssistance,
        label: "request assistance",
        verb: "request assistance",
        description: "Ask another economy for analysts",
        issuer: Issuer::Teams(&[Csirt]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 1,
            pillar: Pillar::Cooperation,
        },
        params: &[
            Param {
                name: "from",
                kind: ParamKind::OtherEconomy,
            },
            Param {
                name: "analysts",
                kind: ParamKind::Analysts {
                    max: AnalystsLimit::Fixed(20),
                },
            },
        ],
        target: "{analysts} from {from}",
        reach: Reach::Named,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::ProvideAssistance,
        label: "provide assistance",
        verb: "lend analysts to another team",
        description: "Lend analysts to another team",
        issuer: Issuer::Teams(&[Csirt]),
        analysts: Analysts::Lent,
        duration: Duration::Loan,
        params: &[
            Param {
                name: "to",
                kind: ParamKind::OtherTeam,
            },
            Param {
                name: "analysts",
                kind: ParamKind::Analysts {
                    max: AnalystsLimit::Free,
                },
            },
        ],
        target: "{analysts} to {to}",
        reach: Reach::Named,
        one_at_a_time: false,
    },
    CommandSpec {
        kind: CommandKind::LegalAction,
        label: "legal action",
        verb: "take legal action",
        description: "Investigate and prosecute the actor at home",
        issuer: Issuer::Teams(&[LawEnforcement]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 12,
            pillar: Pillar::Legal,
        },
        params: &[INCIDENT],
        target: "{incident}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::MutualLegalAssistance,
        label: "mutual legal assistance",
        verb: "request mutual legal assistance",
        description: "Ask the economy hosting the actor for legal help",
        issuer: Issuer::Teams(&[LawEnforcement]),
        analysts: Analysts::Fixed(1),
        duration: Duration::LegalAssistance,
        params: &[
            INCIDENT,
            Param {
                name: "to",
                kind: ParamKind::OtherEconomy,
            },
        ],
        target: "{incident} to {to}",
        reach: Reach::Named,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Takedown,
        label: "takedown",
        verb: "take down a fake site or harmful content",
        description: "Take down a fake site or harmful content",
        issuer: Issuer::Teams(&[LawEnforcement, Csirt]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 4,
            pillar: Pillar::Legal,
        },
        params: &[INCIDENT],
        target: "{incident}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Refer,
        label: "refer",
        verb: "refer harmful content to a hotline or the police",
        description: "Report harmful content to a hotline or the police (child protection)",
        issuer: Issuer::Teams(&[Csirt, LawEnforcement]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 2,
            pillar: Pillar::Organizational,
        },
        params: &[INCIDENT],
        target: "{incident}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::CoordinateOperators,
        label: "coordinate operators",
        verb: "coordinate a sector's operators",
        description: "Work with a sector's private operators",
        issuer: Issuer::Teams(&[Regulator]),
        analysts: Analysts::Fixed(1),
        duration: Duration::Readiness {
            base: 6,
            pillar: Pillar::Organizational,
        },
        params: &[SECTOR],
        target: "{sector}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Train,
        label: "train",
        verb: "train staff",
        description: "Train your economy's staff on one readiness pillar",
        issuer: Issuer::Teams(&[Csirt, Regulator, Operator, LawEnforcement]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 12,
            pillar: Pillar::Capacity,
        },
        params: &[PILLAR],
        target: "{pillar}",
        reach: Reach::Sender,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::BuildCapacity,
        label: "build capacity",
        verb: "train another economy's staff",
        description: "Capacity building: train another economy's staff on one pillar",
        issuer: Issuer::Teams(&[Csirt, Regulator, LawEnforcement]),
        analysts: Analysts::Fixed(2),
        duration: Duration::Readiness {
            base: 16,
            pillar: Pillar::Cooperation,
        },
        params: &[
            Param {
                name: "to",
                kind: ParamKind::OtherEconomy,
            },
            PILLAR,
        ],
        target: "{pillar} in {to}",
        reach: Reach::Named,
        one_at_a_time: true,
    },
    CommandSpec {
        kind: CommandKind::Message,
        label: "message",
        verb: "send messages",
        description: "Write to a team, an economy, the facilitator or all",
        issuer: Issuer::Teams(&[Csirt, Regulator, Operator, LawEnforcement]),
        analysts: Analysts::None,
        duration: Duration::Instant,
        params: &[
            Param {
                name: "to",
                kind: ParamKind::Recipient,
            },
            Param {
                name: "text",
                kind: ParamKind::Text {
                    max_chars: MESSAGE_CHARS,
                },
            },
        ],
        target: "to {to}: {text}",
        reach: Reach::Named,
        one_at_a_time: false,
    },
    CommandSpec {
        kind: CommandKind::Decide,
        label: "decide",
        verb: "settle a decision point",
        description: "Settle a decision point offered to your team",
        issuer: Issuer::Teams(&[Csirt, Regulator, Operator, LawEnforcement]),
        analysts: Analysts::None,
        duration: Duration::Instant,
        params: &[Param {
            name: "choice",
            kind: ParamKind::OpenChoice,
        }],
        target: "{choice}",
        // The other teams it was offered to see it settled; its effects may reach any
        // economy.
        reach: Reach::Everyone,
        one_at_a_time: false,
    },
    CommandSpec {
        kind: CommandKind::FireInject,
        label: "fire inject",
        verb: "fire an inject",
        description: "Fire a pending inject now",
        issuer: Issuer::Facilitator,
        analysts: Analysts::None,
        duration: Duration::Instant,
        params: &[Param {
            name: "inject",
            kind: ParamKind::PendingInject,
        }],
        target: "{inject}",
        reach: Reach::Everyone,
        one_at_a_time: false,
    },
    CommandSpec {
        kind: CommandKind::EditInject,
        label: "edit inject",
        verb: "edit an inject",
        description: "Rewrite a pending inject's headline and text",
        issuer: Issuer::Facilitator,
        analysts: Analysts::None,
        duration: Duration::Instant,
        params: &[
            Param {
                name: "inject",
                kind: ParamKind::PendingInject,
            },
            Param {
                name: "headline",
                kind: ParamKind::Text { max_chars: 120 },
            },
            Param {
                name: "text",
                kind: ParamKind::Text {
                    max_chars: MESSAGE_CHARS,
                },
            },
        ],
        target: "{inject}",
        reach: Reach::Everyone,
        one_at_a_time: false,
    },
    CommandSpec {
        kind: CommandKind::Broadcast,
        label: "broadcast",
        verb: "broadcast to every team",
        description: "A message to every team",
        issuer: Issuer::Facilitator,
        analysts: Analysts::None,
        duration: Duration::Instant,
        params: &[Param {
            name: "text",
            kind: ParamKind::Text {
                max_chars: MESSAGE_CHARS,
            },
        }],
        target: "{text}",
        reach: Reach::Everyone,
        one_at_a_time: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// One command of each kind, with every argument set.
    fn one_of_each() -> Vec<Command> {
        vec![
            Command::Investigate {
                incident: IncidentId(1),
            },
            Command::Contain {
                incident: IncidentId(2),
            },
            Command::Restore { asset: AssetIdx(3) },
            Command::HardenSector {
                sector: SectorIdx(1),
            },
            Command::AwarenessCampaign,
            Command::ShareIndicators {
                incident: IncidentId(4),
                with: vec![EconomyIdx(1), EconomyIdx(2)],
                tlp: Tlp::Red,
                teams: vec![TeamIdx(4)],
            },
            Command::Notify {
                incident: IncidentId(4),
                to: EconomyIdx(2),
            },
            Command::RequestAssistance {
                from: EconomyIdx(2),
                analysts: 3,
            },
            Command::ProvideAssistance {
                to: TeamIdx(5),
                analysts: 2,
            },
            Command::LegalAction {
                incident: IncidentId(6),
            },
            Command::MutualLegalAssistance {
                incident: IncidentId(7),
                to: EconomyIdx(3),
            },
            Command::Takedown {
                incident: IncidentId(8),
            },
            Command::Refer {
                incident: IncidentId(9),
            },
            Command::CoordinateOperators {
                sector: SectorIdx(2),
            },
            Command::Train {
                pillar: Pillar::Technical,
            },
            Command::BuildCapacity {
                to: EconomyIdx(2),
                pillar: Pillar::Legal,
            },
            Command::Message {
                to: Recipient::Economy(EconomyIdx(1)),
                text: "hello".into(),
            },
            Command::Decide {
                decision: DecisionIdx(1),
                option: 2,
            },
            Command::FireInject {
                inject: InjectIdx(1),
            },
            Command::EditInject {
                inject: InjectIdx(2),
                headline: "h".into(),
                text: "t".into(),
            },
            Command::Broadcast { text: "all".into() },
        ]
    }

    #[test]
    fn the_catalogue_has_one_entry_per_kind_in_order() {
        for (i, kind) in CommandKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i);
            assert_eq!(kind.spec().kind, kind);
        }
        let kinds: Vec<CommandKind> = one_of_each().iter().map(Command::kind).collect();
        assert_eq!(kinds, CommandKind::ALL.to_vec());
    }

    #[test]
    fn arguments_name_every_field_and_rebuild_the_command() {
        for command in one_of_each() {
            let args = command.args();
            let params = command.kind().spec().params;
            assert_eq!(args.len(), params.len(), "{:?}", command.kind());
            for ((name, arg), param) in args.iter().zip(params) {
                assert_eq!(*name, param.name);
                let fits = matches!(
                    (param.kind, arg),
                    (ParamKind::Incident(_), Arg::Incident(_))
                        | (ParamKind::OwnAsset, Arg::Asset(_))
                        | (ParamKind::Sector, Arg::Sector(_))
                        | (ParamKind::OtherEconomy, Arg::Economy(_))
                        | (ParamKind::OtherEconomies, Arg::Economies(_))
                        | (ParamKind::OtherTeam, Arg::Team(_))
                        | (ParamKind::OtherTeams, Arg::Teams(_))
                        | (ParamKind::Tlp, Arg::Tlp(_))
                        | (ParamKind::Pillar, Arg::Pillar(_))
                        | (ParamKind::Analysts { .. }, Arg::Count(_))
                        | (ParamKind::Recipient, Arg::Recipient(_))
                        | (ParamKind::PendingInject, Arg::Inject(_))
                        | (ParamKind::OpenChoice, Arg::Choice { .. })
                        | (ParamKind::Text { .. }, Arg::Text(_))
                );
                assert!(fits, "{:?}: `{name}` is {arg:?}", command.kind());
            }
            assert_eq!(Command::from_args(command.kind(), &args), Ok(command));
        }
        assert_eq!(
            Command::from_args(CommandKind::Restore, &[("asset", Arg::Count(1))]),
            Err(ArgError {
                kind: CommandKind::Restore,
                name: "asset"
            })
        );
    }

    #[test]
    fn the_incident_acted_on_is_read_from_the_arguments() {
        for command in one_of_each() {
            let on_incident = command
                .kind()
                .spec()
                .params
                .iter()
                .any(|p| matches!(p.kind, ParamKind::Incident(_)));
            let in_args = command.args().into_iter().find_map(|(_, arg)| match arg {
                Arg::Incident(incident) => Some(incident),
                _ => None,
            });
            assert_eq!(
                command.incident().is_some(),
                on_incident,
                "{:?}",
                command.kind()
            );
            assert_eq!(command.incident(), in_args, "{:?}", command.kind());
        }
        assert_eq!(
            Command::ShareIndicators {
                incident: IncidentId(7),
                with: vec![EconomyIdx(1)],
                tlp: Tlp::Green,
                teams: Vec::new(),
            }
            .incident(),
            Some(IncidentId(7))
        );
    }

    #[test]
    fn costs_come_from_the_catalogue() {
        let analysts: Vec<u32> = one_of_each().iter().map(Command::analysts).collect();
        assert_eq!(
            analysts,
            [
                2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 0, 0, 0, 0, 0
            ]
        );
        for kind in CommandKind::ALL {
            let spec = kind.spec();
            let facilitator = spec.issuer == Issuer::Facilitator;
            assert_eq!(facilitator, kind.roles().is_empty(), "{kind:?}");
            if facilitator {
                assert_eq!(spec.duration, Duration::Instant, "{kind:?}");
                assert_eq!(spec.reach, Reach::Everyone, "{kind:?}");
            }
            // Durations that read a particular argument belong to the command that has it.
            let paired = match spec.duration {
                Duration::Backups { .. } => kind == CommandKind::Restore,
                Duration::LegalAssistance => kind == CommandKind::MutualLegalAssistance,
                Duration::Loan => kind == CommandKind::ProvideAssistance,
                Duration::Instant | Duration::Readiness { .. } => true,
            };
            assert!(paired, "{kind:?} has {:?}", spec.duration);
        }
        assert!(CommandKind::Takedown.allowed_to(Role::Csirt));
        assert!(!CommandKind::Takedown.allowed_to(Role::Operator));
    }
}
