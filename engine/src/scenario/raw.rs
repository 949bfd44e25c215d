//! The scenario file as authors write it (TOML), mirrored field by field.
//!
//! These types only describe the *shape* of a file; the validation pass in
//! [`super::validate`] turns them into the checked [`super::model::Scenario`], resolving
//! ids to indices and applying defaults. Every struct refuses unknown fields so that a
//! typo is an error with a suggestion rather than a silently ignored line. The JSON
//! Schema served by `cyberdrill schema` is derived from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Title, briefing and the clock of the exercise.
    pub scenario: RawMeta,
    /// Values used wherever an asset, team or agreement leaves a field out.
    #[serde(default)]
    pub defaults: RawDefaults,
    /// The economies taking part (APEC member economies, ITU member states...).
    #[serde(default, rename = "economy")]
    pub economies: Vec<RawEconomy>,
    /// Sectors of critical infrastructure, each with optional defaults for its assets.
    #[serde(default, rename = "sector")]
    pub sectors: Vec<RawSector>,
    /// Individual critical-infrastructure assets.
    #[serde(default, rename = "asset")]
    pub assets: Vec<RawAsset>,
    /// Many similar assets written once (`count` copies, ids `ID-1` .. `ID-N`).
    #[serde(default, rename = "asset_group")]
    pub asset_groups: Vec<RawAssetGroup>,
    /// Threat actors (criminal groups, hacktivists, states, insiders, natural hazards).
    #[serde(default, rename = "actor")]
    pub actors: Vec<RawActor>,
    /// Attack campaigns and hazard events.
    #[serde(default, rename = "campaign")]
    pub campaigns: Vec<RawCampaign>,
    /// Events fired by the white cell or by the scenario clock or state.
    #[serde(default, rename = "inject")]
    pub injects: Vec<RawInject>,
    /// Response teams played by people or bots.
    #[serde(default, rename = "team")]
    pub teams: Vec<RawTeam>,
    /// Bilateral or multilateral cooperation agreements between economies.
    #[serde(default, rename = "agreement")]
    pub agreements: Vec<RawAgreement>,
    /// Measurable goals, scored per team and for the region.
    #[serde(default, rename = "objective")]
    pub objectives: Vec<RawObjective>,
    /// Decision points offered to named teams (pay a ransom or not, speak now or later).
    #[serde(default, rename = "decision", skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<RawDecision>,
    /// What the exercise trains (HSEEP core capabilities, or the Open Cyber Range's
    /// training learning objectives), measured by objectives and expected actions.
    #[serde(
        default,
        rename = "training_objective",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub training_objectives: Vec<RawTrainingObjective>,
    /// Parts of the story, each ending in a discussion while the clock is stopped.
    #[serde(default, rename = "module")]
    pub modules: Vec<RawModule>,
}

/// `[scenario]`: what the exercise is and how its clock runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Short machine id, e.g. `apec-regional`.
    pub id: String,
    /// Title shown to every player.
    pub title: String,
    /// Narrative read out at the start of the exercise.
    #[serde(default)]
    pub briefing: String,
    /// Simulated minutes per tick (default 60).
    #[serde(default)]
    pub tick_minutes: Option<u32>,
    /// Length of the exercise in ticks.
    pub duration_ticks: u32,
    /// Label of the first tick's simulated date and time, e.g. `2026-03-02 08:00`.
    #[serde(default)]
    pub start_label: Option<String>,
}

/// `[defaults]`: written once, used wherever a block leaves the field out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    /// Defaults for every asset (a sector's `asset` table overrides these).
    #[serde(default)]
    pub asset: RawAssetDefaults,
    /// Analysts of a team that does not say (default 4).
    #[serde(default)]
    pub analysts: Option<u32>,
    /// Ticks for shared indicators to reach an economy with no agreement (default 12).
    #[serde(default)]
    pub sharing_delay_without_agreement: Option<u32>,
    /// Ticks for a mutual legal assistance request with no agreement (default 48).
    #[serde(default)]
    pub mla_delay_without_agreement: Option<u32>,
    /// Ticks for analysts lent to another economy's team to arrive with no assistance
    /// agreement between the two economies (default 12).
    #[serde(default)]
    pub assistance_delay_without_agreement: Option<u32>,
}

/// Asset fields that may be defaulted (globally or per sector).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssetDefaults {
    /// Who runs it.
    #[serde(default)]
    pub operator: Option<Operator>,
    /// 1 (minor) to 5 (vital).
    #[serde(default)]
    pub criticality: Option<u8>,
    /// People who rely on the service.
    #[serde(default)]
    pub people_served: Option<u64>,
    /// Security posture, 0-100 per part.
    #[serde(default)]
    pub posture: Option<RawPosture>,
    /// How fast the service settles towards its new level each tick (0 < K <= 1).
    #[serde(default)]
    pub resilience: Option<f64>,
    /// Hours the operator's own crews take to repair a natural hazard's or a technical
    /// failure's damage completely, with no team acting (default by sector id: 120 for
    /// energy, telecom and water, else 96).
    #[serde(default)]
    pub repair_hours: Option<f64>,
}

/// Readiness on the five work areas of the ITU Global Cybersecurity Agenda, 0-100 each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReadiness {
    /// Legal measures: cybercrime law, procedural powers.
    pub legal: u8,
    /// Technical and procedural measures: watch, warning, incident response.
    pub technical: u8,
    /// Organizational structures: a national CIRT, a strategy, coordination.
    pub organizational: u8,
    /// Capacity building: skilled people, training, awareness programmes.
    pub capacity: u8,
    /// International cooperation: agreements, trusted channels.
    pub cooperation: u8,
}

/// `[[economy]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEconomy {
    /// Short id used in references, e.g. `sg`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Inhabitants.
    pub population: u64,
    /// Yearly GDP per inhabitant in US dollars; scales economic loss.
    #[serde(default)]
    pub gdp_per_capita: Option<f64>,
    /// Readiness on the five GCA pillars.
    pub readiness: RawReadiness,
    /// Public awareness of online security, 0-100 (APEC action area 5).
    #[serde(default)]
    pub awareness: Option<u8>,
    /// Public trust in the online environment at the start, 0-100.
    #[serde(default)]
    pub trust: Option<u8>,
    /// Percent of spam its mail and internet service providers filter out before it
    /// reaches anyone, 0-100 (default 99: providers screen out the overwhelming majority
    /// of spam, Rao & Reiley 2012).
    #[serde(default)]
    pub spam_filtering: Option<f64>,
    /// Shares of this economy's output (GDP) produced by sectors, where they differ from
    /// each sector's `output_share`; all sectors together at most 1.
    #[serde(default)]
    pub sector_shares: Vec<RawSectorShare>,
}

/// One sector's share of an economy's output.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSectorShare {
    /// Sector id.
    pub sector: String,
    /// Share of the economy's GDP, 0-1.
    pub share: f64,
}

/// One economy an asset serves, and the share of its sector's output there that the
/// asset carries.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServe {
    /// Economy id.
    pub economy: String,
    /// Share of the asset's sector's output in that economy, more than 0, at most 1.
    pub share: f64,
}

/// `[[sector]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSector {
    /// Short id, e.g. `energy`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Defaults for the assets of this sector (a template).
    #[serde(default)]
    pub asset: RawAssetDefaults,
    /// Share of every economy's output (GDP) this sector produces, 0-1 (default by id,
    /// from typical national accounts: see the authoring guide); an economy's
    /// `sector_shares` overrides it.
    #[serde(default)]
    pub output_share: Option<f64>,
}

/// Patching, monitoring and backups, 0-100 each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPosture {
    /// How current the patches are: resists initial access.
    pub patching: u8,
    /// Logging and detection coverage: raises the chance to detect.
    pub monitoring: u8,
    /// Tested backups: speeds restoring after destructive attacks.
    pub backups: u8,
}

/// Who operates an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Public,
    Private,
}

/// Kinds of interdependency after Rinaldi, Peerenboom & Kelly (2001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    /// A material output of one is an input of the other (power to a data centre).
    Physical,
    /// Depends on information transmitted through the other (SCADA over telecom).
    #[default]
    Cyber,
    /// Affected by a local event because they are close together.
    Geographic,
    /// Any other mechanism: markets, policy, shared operators.
    Logical,
}

/// One dependency: this asset needs `on` to work.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDependency {
    /// Asset id, or an asset group id (the weight is split evenly over its members).
    pub on: String,
    /// Share of this asset's service that fails when `on` fails completely (0 < w <= 1).
    pub weight: f64,
    /// Physical, cyber, geographic or logical.
    #[serde(default)]
    pub kind: Option<DependencyKind>,
}

/// `[[asset]]`: one piece of critical infrastructure.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAsset {
    /// Unique id, e.g. `sg-grid`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Economy it serves.
    pub economy: String,
    /// Sector id.
    pub sector: String,
    #[serde(default)]
    pub operator: Option<Operator>,
    #[serde(default)]
    pub criticality: Option<u8>,
    #[serde(default)]
    pub people_served: Option<u64>,
    #[serde(default)]
    pub posture: Option<RawPosture>,
    #[serde(default)]
    pub resilience: Option<f64>,
    #[serde(default)]
    pub repair_hours: Option<f64>,
    /// Economies whose sector output this asset carries, with its share of each (default:
    /// its own economy, sharing the sector's output with the economy's other assets of the
    /// sector in proportion to `people_served`).
    #[serde(default)]
    pub serves: Vec<RawServe>,
    /// What this asset needs to work, possibly across borders.
    #[serde(default)]
    pub depends_on: Vec<RawDependency>,
}

/// `[[asset_group]]`: `count` similar assets, ids `ID-1` .. `ID-N`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssetGroup {
    /// Prefix of the members' ids; also usable as a dependency target.
    pub id: String,
    /// Name of each member; `{n}` is replaced by the member's number.
    pub name: String,
    /// How many members.
    pub count: u32,
    pub economy: String,
    pub sector: String,
    #[serde(default)]
    pub operator: Option<Operator>,
    #[serde(default)]
    pub criticality: Option<u8>,
    /// People served by *each* member.
    #[serde(default)]
    pub people_served: Option<u64>,
    #[serde(default)]
    pub posture: Option<RawPosture>,
    #[serde(default)]
    pub resilience: Option<f64>,
    #[serde(default)]
    pub repair_hours: Option<f64>,
    /// Economies whose sector output *each* member carries, with its share of each.
    #[serde(default)]
    pub serves: Vec<RawServe>,
    /// Dependencies of every member.
    #[serde(default)]
    pub depends_on: Vec<RawDependency>,
}

/// Who is behind a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Criminal,
    Hacktivist,
    StateSponsored,
    Insider,
    /// Natural disasters and technical failures: no intent, no stages.
    NaturalHazard,
}

/// `[[actor]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// Skill and resources, 0-100: set against posture at every stage.
    pub capability: u8,
}

/// What a campaign does, after the threats named in the APEC strategy and the ITU forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    /// Spam and phishing against the public and staff.
    Phishing,
    /// Theft of identities and credentials for fraud.
    IdentityTheft,
    /// Fake websites impersonating banks, shops or government.
    FakeWebsite,
    /// Distributed denial of service.
    Ddos,
    /// Ransomware: destroys availability until restored from backups.
    Ransomware,
    /// Other malware on infrastructure (wipers, ICS implants).
    Malware,
    /// Harmful content aimed at children (child online protection).
    HarmfulContent,
    /// Unsolicited bulk email sent to the people a mail or messaging service serves: what
    /// gets past the economy's filtering reaches them, and a few who respond are
    /// defrauded.
    Spam,
    /// Earthquake, typhoon, flood: immediate damage, no stages.
    NaturalDisaster,
    /// Cable cut, power failure, software fault: immediate damage, no stages.
    TechnicalFailure,
}

/// Which assets a campaign goes after. Assets listed by id are always targets;
/// besides them every asset in one of `economies` *and* one of `sectors`
/// (an empty list means "any").
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    #[serde(default)]
    pub economies: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub assets: Vec<String>,
}

/// `[[campaign]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCampaign {
    pub id: String,
    pub name: String,
    /// Actor id.
    pub actor: String,
    pub kind: CampaignKind,
    pub targets: RawTargets,
    /// Tick at which it starts; leave out to start it only from an inject.
    #[serde(default)]
    pub start: Option<u32>,
    /// Mean ticks the actor spends on each stage (default 3).
    #[serde(default)]
    pub stage_ticks: Option<u32>,
    /// New targets the campaign attempts per tick while active (default 1).
    #[serde(default)]
    pub intensity: Option<u32>,
    /// Direct damage to a compromised asset's service, 0-1 (default by kind).
    #[serde(default)]
    pub impact: Option<f64>,
    /// Ticks after its start at which the campaign stops attempting new targets.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Victims per hour per million people served by a compromised asset while the attack
    /// is at impact (default 10 for attacks on people, 1 for harmful content, else 0).
    #[serde(default)]
    pub victim_rate: Option<f64>,
    /// Mean loss of one victim, US dollars (default 0.175 x the GDP per head of the
    /// victim's economy, after FBI IC3 2023; 0 for harmful content).
    #[serde(default)]
    pub victim_loss: Option<f64>,
    /// Spam: messages sent per hour to each person a targeted service serves, while the
    /// campaign holds it at impact (default 1, after Rao & Reiley 2012).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<f64>,
    /// Spam: share of the messages reaching people that make a victim, 0-1 (default
    /// 0.000008, after Kanich et al. 2008).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
    /// Ransom demanded per compromised asset, US dollars (ransomware; default USD 2.0
    /// million x the economy's GDP per head / 81,000, after Sophos 2024).
    #[serde(default)]
    pub ransom: Option<f64>,
    /// Cost of recovering one compromised asset besides any ransom, US dollars
    /// (ransomware; default USD 2.73 million x GDP per head / 81,000, after Sophos 2024).
    #[serde(default)]
    pub recovery_cost: Option<f64>,
    /// Economy the actor operates from: legal action there, or mutual legal assistance
    /// to it, can bring its people to justice. Leave out for an actor outside the region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Economies hosting the campaign's infrastructure (fake sites, phishing pages,
    /// command servers, harmful content): where it can be seized or taken down. Default:
    /// the origin alone, or none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosting: Vec<String>,
    /// MITRE ATT&CK techniques of each stage (`T1566` or `T1566.002`), for the exercise
    /// package, the ATT&CK Navigator layer and the report's coverage.
    #[serde(default, skip_serializing_if = "RawTechniques::is_empty")]
    pub techniques: RawTechniques,
}

/// ATT&CK technique ids per stage of a campaign, each list in the order the actor uses
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTechniques {
    /// Reconnaissance and resource development.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconnaissance: Vec<String>,
    /// Initial access.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub initial_access: Vec<String>,
    /// Foothold: execution, persistence, privilege escalation, defence evasion, credential
    /// access, discovery, lateral movement, collection, command and control.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foothold: Vec<String>,
    /// Impact and exfiltration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub impact: Vec<String>,
}

impl RawTechniques {
    /// True when no stage lists a technique.
    pub fn is_empty(&self) -> bool {
        self.stages().iter().all(|(_, ids)| ids.is_empty())
    }

    /// The four stages in order, with their field names.
    pub fn stages(&self) -> [(&'static str, &Vec<String>); 4] {
        [
            ("reconnaissance", &self.reconnaissance),
            ("initial_access", &self.initial_access),
            ("foothold", &self.foothold),
            ("impact", &self.impact),
        ]
    }
}

/// A condition over the state of the world, for injects fired on conditions.
/// Written as a one-key table, e.g. `{ trust_below = { economy = "sg", value = 50 } }`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawCondition {
    /// The clock has reached this tick.
    TickAtLeast(u32),
    /// Service level of an asset, or the mean of an economy's (and/or a sector's) assets, is below `level`.
    ServiceBelow(RawServiceCondition),
    /// An economy's public trust is below `value` (0-100).
    TrustBelow(RawEconomyValue),
    /// Economic loss (US dollars) of an economy, or the region if no economy, is above `value`.
    LossAbove(RawLossCondition),
    /// At least `count` incidents so far, optionally of one campaign and/or in one economy.
    Incidents(RawIncidentCondition),
    /// Incidents detected by their economy: a campaign id (at least one of its incidents),
    /// or `{ campaign, economy, asset, count }`.
    Detected(RawDetected),
    /// At least `count` incidents (default 1) investigated by their economy.
    Investigated(RawIncidentsReached),
    /// At least `count` incidents (default 1) contained.
    Contained(RawIncidentsReached),
    /// At least `count` incidents (default 1) recovered.
    Recovered(RawIncidentsReached),
    /// Indicators of a campaign arrived from one economy in another, under `tlp` or a more
    /// open label.
    Shared(RawShared),
    /// A CSIRT told another economy that assets there are compromised by a campaign.
    Notified(RawFlow),
    /// A request for analysts from one economy reached another.
    AssistanceRequested(RawFlow),
    /// At least `analysts` (default 1) lent analysts arrived from one economy in another.
    AssistanceDelivered(RawAssistanceDelivered),
    /// Police of an economy took legal action against a campaign (`outcome`: requested,
    /// the default, succeeded or failed).
    LegalAction(RawLegalAction),
    /// A mutual legal assistance request from one economy to another about a campaign
    /// (`outcome`: requested, the default, succeeded or failed).
    Mla(RawMla),
    /// A campaign's content or servers hosted in an economy were taken down.
    Takedown(RawTakedown),
    /// A decision point settled on an option.
    Decision(RawDecisionCondition),
    /// `delay` ticks have passed since `condition` first held.
    After(RawAfterCondition),
    /// This inject has fired.
    InjectFired(String),
    /// All of these hold.
    All(Vec<RawCondition>),
    /// Any of these holds.
    Any(Vec<RawCondition>),
    /// This does not hold.
    Not(Box<RawCondition>),
}

/// `detected = "campaign"`, or a table of filters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawDetected {
    /// A campaign id: at least one of its incidents was detected.
    Campaign(String),
    /// Filters and a count.
    Incidents(RawIncidentsReached),
}

/// Incidents that reached a state, filtered; every filter is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentsReached {
    /// Campaign id.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy the incidents are in.
    #[serde(default)]
    pub economy: Option<String>,
    /// One asset (not a group).
    #[serde(default)]
    pub asset: Option<String>,
    /// At least this many (default 1).
    #[serde(default)]
    pub count: Option<u32>,
}

/// The Traffic Light Protocol label, as commands use it (one type).
pub use crate::command::Tlp;

/// How far a legal request went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalOutcome {
    /// Accepted and under way (a completed request, successful or not, was requested too).
    #[default]
    Requested,
    /// Completed and achieved what it asked for.
    Succeeded,
    /// Completed without result.
    Failed,
}

/// Indicators shared between economies; every filter is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShared {
    /// Campaign id.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy that sent them.
    #[serde(default)]
    pub from: Option<String>,
    /// Economy they arrived in.
    #[serde(default)]
    pub to: Option<String>,
    /// Under this label or a more open one (`amber` also counts GREEN and CLEAR).
    #[serde(default)]
    pub tlp: Option<Tlp>,
}

/// Something that went from one economy to another; every filter is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    /// Campaign id (for `notified`; not allowed for `assistance_requested`).
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy it came from.
    #[serde(default)]
    pub from: Option<String>,
    /// Economy it reached.
    #[serde(default)]
    pub to: Option<String>,
}

/// Lent analysts that arrived.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssistanceDelivered {
    /// Economy of the lending team.
    #[serde(default)]
    pub from: Option<String>,
    /// Economy of the borrowing team.
    #[serde(default)]
    pub to: Option<String>,
    /// At least this many analysts in all (default 1).
    #[serde(default)]
    pub analysts: Option<u32>,
}

/// Domestic legal action.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLegalAction {
    /// Campaign id.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy whose police acted.
    #[serde(default)]
    pub by: Option<String>,
    /// How far it went (default `requested`).
    #[serde(default)]
    pub outcome: LegalOutcome,
}

/// A mutual legal assistance request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMla {
    /// Campaign id.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy that asked.
    #[serde(default)]
    pub from: Option<String>,
    /// Economy asked.
    #[serde(default)]
    pub to: Option<String>,
    /// How far it went (default `requested`).
    #[serde(default)]
    pub outcome: LegalOutcome,
}

/// A takedown.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTakedown {
    /// Campaign id.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Economy where its content or servers were taken down.
    #[serde(default)]
    pub host: Option<String>,
}

/// A settled decision point.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecisionCondition {
    /// Decision id.
    pub id: String,
    /// Option id; any option if left out.
    #[serde(default)]
    pub option: Option<String>,
    /// Also count the default option applied when nobody chose before the deadline
    /// (default false: only a team's choice counts).
    #[serde(default)]
    pub include_default: bool,
}

/// A condition and a delay: holds from `delay` ticks after `condition` first held (and
/// stays true).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAfterCondition {
    /// Ticks to wait after the condition first held.
    pub delay: u32,
    pub condition: Box<RawCondition>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServiceCondition {
    #[serde(default)]
    pub asset: Option<String>,
    #[serde(default)]
    pub economy: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    /// 0-1.
    pub level: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEconomyValue {
    pub economy: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLossCondition {
    #[serde(default)]
    pub economy: Option<String>,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentCondition {
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub economy: Option<String>,
    pub count: u32,
}

/// Fires after another inject, `delay` ticks later.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAfter {
    pub inject: String,
    #[serde(default)]
    pub delay: u32,
}

/// What an inject changes in the world. One-key tables, e.g. `{ start_campaign = "ddos-fin" }`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawEffect {
    /// Start a campaign now (if not already running).
    StartCampaign(String),
    /// Stop a campaign from attempting new targets.
    StopCampaign(String),
    /// Direct damage to an asset's service, 0-1 (a hazard, a sabotage).
    DamageAsset { asset: String, amount: f64 },
    /// Change an economy's public trust by `delta` points.
    AdjustTrust { economy: String, delta: f64 },
    /// Set an economy's public awareness (0-100).
    SetAwareness { economy: String, value: u8 },
    /// Give a team more (or fewer, if negative) analysts.
    AdjustAnalysts { team: String, delta: i32 },
    /// Set an economy's policy on ransom demands (of one campaign, or of all ransomware).
    Ransom {
        economy: String,
        #[serde(default)]
        campaign: Option<String>,
        policy: super::model::RansomPolicy,
    },
    /// Have an economy's mail and internet service providers filter spam up to `value`
    /// percent (0-100): the filtering rises towards it over the next day.
    SpamFiltering { economy: String, value: f64 },
}

/// How an inject reaches the players: the delivery column of a master scenario events
/// list (MSEL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    /// Press, television, radio.
    Media,
    /// Social media posts.
    Social,
    /// Spoken by the facilitator to the room.
    Briefing,
}

/// An action players are expected to take after an inject, scored as OpenBAS scores
/// its expectations: the points are won when the action is taken in time.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpectation {
    /// Short id, unique within the inject (`share`, `contain`).
    pub id: String,
    /// What is expected, in words, for facilitators and evaluators.
    pub description: String,
    /// The command that meets it (`share_indicators`, `contain`, ...); leave out for an
    /// action evaluators judge (a press statement, a call to a minister).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Teams expected to act; empty: every team that receives the inject and may send
    /// the command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// Ticks after the inject fires within which the action counts (default: until the end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<u32>,
    /// Points for meeting it, 1-100 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// Objectives this action serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
}

/// `[[inject]]`: give exactly one of `at`, `when` or `after`, or none to let the
/// facilitator fire it by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInject {
    pub id: String,
    /// One line shown in timelines.
    pub headline: String,
    /// The narrative: news item, intelligence report, a minister's call.
    #[serde(default)]
    pub text: String,
    /// Fire at this tick.
    #[serde(default)]
    pub at: Option<u32>,
    /// Fire at the first tick this condition holds.
    #[serde(default)]
    pub when: Option<RawCondition>,
    /// Fire some ticks after another inject.
    #[serde(default)]
    pub after: Option<RawAfter>,
    /// Team ids that receive it; `"all"` for everybody; empty means the facilitator only.
    #[serde(default)]
    pub to: Vec<String>,
    /// Changes to the world.
    #[serde(default)]
    pub effects: Vec<RawEffect>,
    /// MSEL: who the message comes from, as role-played ("Minister of Health").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// MSEL: how it reaches the players.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// MSEL: recipients by role: every team of these roles receives it, besides `to`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_roles: Vec<Role>,
    /// MSEL: what players are expected to do, scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<RawExpectation>,
    /// MSEL: notes for evaluators (what to watch for).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluator_notes: String,
    /// MSEL: questions for the discussion after the inject's module.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

/// The roles of response teams in the source documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// National CSIRT / CIRT: watch, warning, incident response, sharing.
    Csirt,
    /// Sector regulator: hardening, coordination with operators.
    Regulator,
    /// Private or public operator of infrastructure: contain and restore its assets.
    Operator,
    /// Police and prosecutors: legal action, mutual legal assistance, takedowns.
    LawEnforcement,
}

/// `[[team]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub economy: String,
    /// People available for tasks.
    #[serde(default)]
    pub analysts: Option<u32>,
    /// Sectors a regulator or operator is responsible for; empty means all.
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// Kinds of cooperation between economies (APEC action areas 2, 3 and 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// CSIRT-to-CSIRT information sharing (indicators, warnings).
    InformationSharing,
    /// Mutual legal assistance in criminal matters.
    MutualLegalAssistance,
    /// Operational assistance: analysts lent in a crisis.
    Assistance,
}

/// `[[agreement]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    pub id: String,
    pub kind: AgreementKind,
    /// Economies bound by it (two for bilateral, more for multilateral).
    pub parties: Vec<String>,
    /// Ticks for shared information or a request to take effect between parties.
    pub delay: u32,
}

/// `[[module]]`: a part of the story ending in a discussion (CISA's Tabletop Exercise
/// Packages divide an exercise into modules, usually three). When a module ends the
/// clock stops and every seat is asked its questions until the facilitator resumes; the
/// last module's questions are the hot wash's, after the last tick.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    /// Shown to every seat, e.g. `Module 1: the first reports`.
    pub title: String,
    /// The tick the module starts at: the first at 0, each later one after the one
    /// before; a module ends where the next starts, the last at the end of the exercise.
    pub start: u32,
    /// The discussion questions asked when the module ends.
    #[serde(default)]
    pub questions: Vec<String>,
}

/// What an objective measures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawGoal {
    /// Mean service of an economy and/or sector (region if neither) stays at or above `level`;
    /// scored as the share of ticks it did.
    ServiceAtLeast {
        #[serde(default)]
        economy: Option<String>,
        #[serde(default)]
        sector: Option<String>,
        level: f64,
    },
    /// Public trust at the end at or above `level`.
    TrustAtLeast { economy: String, level: f64 },
    /// Economic loss (US dollars) at the end at most `amount`.
    LossAtMost {
        #[serde(default)]
        economy: Option<String>,
        amount: f64,
    },
    /// Share of incidents (of a campaign and/or economy) detected within `ticks`.
    DetectWithin {
        #[serde(default)]
        campaign: Option<String>,
        #[serde(default)]
        economy: Option<String>,
        ticks: u32,
    },
    /// Share of incidents (of a campaign and/or economy) contained within `ticks` of starting.
    ContainWithin {
        #[serde(default)]
        campaign: Option<String>,
        #[serde(default)]
        economy: Option<String>,
        ticks: u32,
    },
    /// Child online protection: of the children harmful content reached (in an economy,
    /// or the region), at least `share` (0-1) safeguarded by referral to a hotline or the
    /// police, or by a takedown; scored as the share safeguarded / `share`.
    ChildrenSafeguarded {
        #[serde(default)]
        economy: Option<String>,
        share: f64,
    },
    /// Child online protection: children harmful content reached (in an economy, or the
    /// region) at most `count` at the end; above it, scored `count` / children reached.
    ChildrenExposedAtMost {
        #[serde(default)]
        economy: Option<String>,
        count: f64,
    },
}

/// `[[objective]]`
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawObjective {
    pub id: String,
    pub description: String,
    /// Team scored on it; leave out for a regional objective.
    #[serde(default)]
    pub team: Option<String>,
    /// Relative weight in the score (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
    pub goal: RawGoal,
}

/// `[[decision]]`: a decision point offered to named teams when its trigger holds (give
/// at most one of `at`, `when` and `after`, as for injects; none: offered at the start).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    /// Unique id, e.g. `ser-ransom`.
    pub id: String,
    /// The question, one line, e.g. `Pay the Nightjar ransom?`.
    pub title: String,
    /// The situation and what each choice means.
    #[serde(default)]
    pub text: String,
    /// Team ids the decision is offered to; any of them may settle it.
    pub to: Vec<String>,
    /// Offer it at this tick.
    #[serde(default)]
    pub at: Option<u32>,
    /// Offer it at the first tick this condition holds.
    #[serde(default)]
    pub when: Option<RawCondition>,
    /// Offer it some ticks after an inject fired.
    #[serde(default)]
    pub after: Option<RawAfter>,
    /// Ticks the teams have to decide once it is offered; until the end if left out.
    #[serde(default)]
    pub deadline: Option<u32>,
    /// Option id applied when the deadline passes with no choice; nothing happens if left out.
    #[serde(default)]
    pub default: Option<String>,
    /// The choices, two or more (`[[decision.option]]`).
    #[serde(default, rename = "option")]
    pub options: Vec<RawDecisionOption>,
}

/// `[[decision.option]]`: one choice and what it changes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecisionOption {
    /// Unique within the decision, e.g. `pay`.
    pub id: String,
    /// Shown in the list of choices, e.g. `Pay the ransom`.
    pub label: String,
    /// What choosing it means.
    #[serde(default)]
    pub text: String,
    /// Changes to the world when it is chosen (the same effects as injects').
    #[serde(default)]
    pub effects: Vec<RawEffect>,
    /// The choice a competent team makes: bots take it (at most one per decision).
    #[serde(default)]
    pub recommended: bool,
}

/// The 32 core capabilities of the US National Preparedness Goal (2nd edition, 2015),
/// which the Homeland Security Exercise and Evaluation Program (HSEEP 2020) aligns every
/// exercise objective to. The cyber-relevant ones first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoreCapability {
    Cybersecurity,
    IntelligenceAndInformationSharing,
    OperationalCoordination,
    OperationalCommunications,
    PublicInformationAndWarning,
    Planning,
    SituationalAssessment,
    ForensicsAndAttribution,
    InterdictionAndDisruption,
    ScreeningSearchAndDetection,
    AccessControlAndIdentityVerification,
    InfrastructureSystems,
    RiskManagementForProtectionProgramsAndActivities,
    SupplyChainIntegrityAndSecurity,
    ThreatsAndHazardsIdentification,
    RiskAndDisasterResilienceAssessment,
    CommunityResilience,
    LongTermVulnerabilityReduction,
    EconomicRecovery,
    PhysicalProtectiveMeasures,
    CriticalTransportation,
    EnvironmentalResponseHealthAndSafety,
    FatalityManagementServices,
    FireManagementAndSuppression,
    LogisticsAndSupplyChainManagement,
    MassCareServices,
    MassSearchAndRescueOperations,
    OnSceneSecurityProtectionAndLawEnforcement,
    PublicHealthHealthcareAndEmergencyMedicalServices,
    HealthAndSocialServices,
    Housing,
    NaturalAndCulturalResources,
}

/// A scenario objective that measures a training objective, with the score a team must
/// reach on it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawObjectiveLink {
    /// Objective id.
    pub objective: String,
    /// Score (0-1) to reach; default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
}

/// An inject's expected action that measures a training objective.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpectationLink {
    /// Inject id.
    pub inject: String,
    /// Expectation id within that inject.
    pub expectation: String,
    /// Share of its points (0-1) to win; default 1 (met).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
}

/// `[[training_objective]]`: what the exercise trains, as HSEEP's exercise objectives
/// aligned to core capabilities or the Open Cyber Range scenario language's training
/// learning objectives: attained by a team when it reaches the minimum score of every
/// linked objective and expected action that applies to it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTrainingObjective {
    pub id: String,
    /// One line: "Share indicators with partner CSIRTs within a working day".
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The HSEEP core capability it trains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<CoreCapability>,
    /// Objectives that measure it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<RawObjectiveLink>,
    /// Expected actions of injects that measure it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<RawExpectationLink>,
    /// Teams it is for; empty: every team a linked objective or expected action scores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
}
