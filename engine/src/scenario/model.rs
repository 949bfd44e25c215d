//! The checked scenario: every reference resolved to an index, every default applied.
//!
//! This is the only form of a scenario the simulation sees. Indices are positions in the
//! vectors of [`Scenario`], which keep the order of the file (asset groups expanded in
//! place), so that iterating them is a stable, deterministic order.

pub use super::raw::{
    ActorKind, AgreementKind, CampaignKind, Channel, CoreCapability, DependencyKind, LegalOutcome,
    Operator, RawTechniques as Techniques, Role, Tlp,
};
use std::borrow::Cow;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u32);

        impl $name {
            /// Position in the scenario's vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type!(
    /// Index into [`Scenario::economies`].
    EconomyIdx,
    /// Index into [`Scenario::sectors`].
    SectorIdx,
    /// Index into [`Scenario::assets`].
    AssetIdx,
    /// Index into [`Scenario::actors`].
    ActorIdx,
    /// Index into [`Scenario::campaigns`].
    CampaignIdx,
    /// Index into [`Scenario::injects`].
    InjectIdx,
    /// Index into [`Scenario::teams`].
    TeamIdx,
    /// Index into [`Scenario::decisions`].
    DecisionIdx,
    /// Index into [`Scenario::objectives`].
    ObjectiveIdx,
);

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub meta: Meta,
    pub economies: Vec<Economy>,
    pub sectors: Vec<Sector>,
    pub assets: Vec<Asset>,
    pub actors: Vec<Actor>,
    pub campaigns: Vec<Campaign>,
    pub injects: Vec<Inject>,
    pub teams: Vec<Team>,
    pub agreements: Vec<Agreement>,
    pub objectives: Vec<Objective>,
    pub decisions: Vec<Decision>,
    /// Number of `after` conditions in all triggers ([`Condition::After::watch`] runs
    /// from 0 to this).
    pub watches: u32,
    /// What the exercise trains, measured by objectives and expected actions.
    pub training_objectives: Vec<TrainingObjective>,
    /// The story's modules in order, each ending in a discussion (none: one stretch with
    /// only the hot wash at the end).
    #[serde(default)]
    pub modules: Vec<Module>,
}

/// Title, briefing and clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub briefing: String,
    /// Simulated minutes per tick.
    pub tick_minutes: u32,
    /// Length of the exercise in ticks.
    pub duration_ticks: u32,
    pub start_label: Option<String>,
    /// Ticks for shared information to reach an economy with no sharing agreement.
    pub sharing_delay_without_agreement: u32,
    /// Ticks for mutual legal assistance between economies with no MLA agreement.
    pub mla_delay_without_agreement: u32,
    /// Ticks for lent analysts to reach another economy with no assistance agreement.
    pub assistance_delay_without_agreement: u32,
}

/// Readiness on the five ITU GCA work areas, 0-100 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub legal: u8,
    pub technical: u8,
    pub organizational: u8,
    pub capacity: u8,
    pub cooperation: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Economy {
    pub id: String,
    pub name: String,
    pub population: u64,
    /// Yearly GDP per inhabitant, US dollars (default 10,000).
    pub gdp_per_capita: f64,
    pub readiness: Readiness,
    /// Public awareness 0-100 (default 50).
    pub awareness: u8,
    /// Public trust at the start 0-100 (default 70).
    pub trust: u8,
    /// Percent of spam its mail and internet service providers filter out at the start,
    /// 0-100 (default [`DEFAULT_SPAM_FILTERING`]).
    pub spam_filtering: f64,
    /// Share of the economy's output (GDP) produced by each sector, index-aligned with
    /// [`Scenario::sectors`]: the economy's `sector_shares`, else the sector's
    /// `output_share`. They add up to at most 1.
    pub sector_shares: Vec<f64>,
}

impl Economy {
    /// Yearly output (GDP), US dollars.
    pub fn output_per_year(&self) -> f64 {
        self.population as f64 * self.gdp_per_capita
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sector {
    pub id: String,
    pub name: String,
    /// Share of every economy's output the sector produces where the economy does not
    /// say otherwise (default by id, see [`super::validate::default_output_share`]).
    pub output_share: f64,
}

/// One economy an asset serves and the share of its sector's output there that the
/// asset carries (Santos & Haimes 2004: a sector's output lost in proportion to its
/// inoperability).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Serve {
    pub economy: EconomyIdx,
    /// More than 0, at most 1; the shares of one sector in one economy add up to at most 1.
    pub share: f64,
}

/// Patching, monitoring and backups, 0-100 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posture {
    pub patching: u8,
    pub monitoring: u8,
    pub backups: u8,
}

/// One resolved dependency: the owning asset needs `on`, with `weight` in (0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub on: AssetIdx,
    pub weight: f64,
    pub kind: DependencyKind,
}

/// One piece of critical infrastructure.
///
/// An asset's id, name, dependencies and served economies live in an [`AssetCommon`]
/// shared by every member of its group (an asset written on its own has one of its
/// own): a member differs from its group only by its number, so a group of twenty costs
/// one id, one name and two short lists instead of twenty of each. At a million assets
/// the per-member strings and vectors were most of the memory a loaded scenario took
/// (`docs/performance.md`, "Loading a million assets"). Read them with [`Asset::id`],
/// [`Asset::name`], [`Asset::depends_on`] and [`Asset::serves`].
///
/// Serialized as before the sharing: one record per asset with its id, name and lists.
#[derive(Clone, Serialize, Deserialize)]
#[serde(into = "AssetRecord", from = "AssetRecord")]
pub struct Asset {
    /// Id, name, dependencies and served economies, shared with the group's members.
    pub(super) common: Arc<AssetCommon>,
    /// Number of the member in its group, from 1 (0 for an asset written on its own).
    pub(super) member: u32,
    pub economy: EconomyIdx,
    pub sector: SectorIdx,
    /// Default public.
    pub operator: Operator,
    /// 1-5, default 3.
    pub criticality: u8,
    /// Default 100,000.
    pub people_served: u64,
    /// Default 50/50/50.
    pub posture: Posture,
    /// K of the inoperability model, in (0, 1]; default 0.5.
    pub resilience: f64,
    /// Hours the operator's crews take to repair a hazard's damage with no team acting.
    pub repair_hours: f64,
}

/// What the members of an asset group have in common besides their attributes (an
/// asset written on its own has one of its own); see [`Asset`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AssetCommon {
    /// The asset's id, or its group's: member `n` is `{id}-{n}`
    /// ([`super::validate::member_id`]).
    pub(super) id: String,
    /// The asset's name, or its group's template: member `n`'s name is the template with
    /// every `{n}` replaced by `n`.
    pub(super) name: String,
    /// Whether `id` and `name` are a group's, to be completed with the member's number.
    pub(super) group: bool,
    /// Sorted by `on`; the sum of weights is at most 1.
    pub(super) depends_on: Vec<Dependency>,
    /// The economies whose sector output the asset carries, in file order (its own
    /// economy by default); never empty once validated, shares may be 0.
    pub(super) serves: Vec<Serve>,
}

impl AssetCommon {
    /// The common part of an asset written on its own.
    pub(super) fn single(id: String, name: String) -> Self {
        Self {
            id,
            name,
            group: false,
            depends_on: Vec::new(),
            serves: Vec::new(),
        }
    }
}

impl Asset {
    /// An asset written on its own, with the built-in default of every attribute the
    /// file did not give (see `scenarios/README.md`), no dependencies and no served
    /// economies (validation gives every asset at least one).
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        economy: EconomyIdx,
        sector: SectorIdx,
    ) -> Self {
        use super::validate::{
            DEFAULT_CRITICALITY, DEFAULT_OPERATOR, DEFAULT_PEOPLE_SERVED, DEFAULT_POSTURE,
            DEFAULT_REPAIR_HOURS, DEFAULT_RESILIENCE,
        };
        Self {
            common: Arc::new(AssetCommon::single(id.into(), name.into())),
            member: 0,
            economy,
            sector,
            operator: DEFAULT_OPERATOR,
            criticality: DEFAULT_CRITICALITY,
            people_served: DEFAULT_PEOPLE_SERVED,
            posture: DEFAULT_POSTURE,
            resilience: DEFAULT_RESILIENCE,
            repair_hours: DEFAULT_REPAIR_HOURS,
        }
    }

    /// The asset's id: as written, or `{group}-{n}` for member `n` of a group (built on
    /// each call: keep it if it is needed often).
    pub fn id(&self) -> Cow<'_, str> {
        if self.common.group {
            Cow::Owned(super::validate::member_id(&self.common.id, self.member))
        } else {
            Cow::Borrowed(&self.common.id)
        }
    }

    /// The asset's name: as written, or its group's template with every `{n}` replaced
    /// by the member's number.
    pub fn name(&self) -> Cow<'_, str> {
        let template = &self.common.name;
        if self.common.group && template.contains("{n}") {
            Cow::Owned(template.replace("{n}", &self.member.to_string()))
        } else {
            Cow::Borrowed(template)
        }
    }

    /// What the asset needs, sorted by `on`; the sum of weights is at most 1.
    pub fn depends_on(&self) -> &[Dependency] {
        &self.common.depends_on
    }

    /// The economies whose sector output the asset carries, in file order (its own
    /// economy by default); never empty once validated, shares may be 0.
    pub fn serves(&self) -> &[Serve] {
        &self.common.serves
    }

    /// Replaces the asset's dependencies (sorted by `on`, weights adding up to at most
    /// 1), for this asset only: the other members of its group keep theirs.
    pub fn set_depends_on(&mut self, depends_on: Vec<Dependency>) {
        Arc::make_mut(&mut self.common).depends_on = depends_on;
    }

    /// Replaces the economies the asset serves, for this asset only: the other members
    /// of its group keep theirs.
    pub fn set_serves(&mut self, serves: Vec<Serve>) {
        Arc::make_mut(&mut self.common).serves = serves;
    }
}

/// Equal when everything read through the accessors is: a member and an asset written
/// on its own with the same id, name, lists and attributes are the same asset.
impl PartialEq for Asset {
    fn eq(&self, other: &Self) -> bool {
        self.economy == other.economy
            && self.sector == other.sector
            && self.operator == other.operator
            && self.criticality == other.criticality
            && self.people_served == other.people_served
            && self.posture == other.posture
            && self.resilience == other.resilience
            && self.repair_hours == other.repair_hours
            && self.depends_on() == other.depends_on()
            && self.serves() == other.serves()
            && self.id() == other.id()
            && self.name() == other.name()
    }
}

impl std::fmt::Debug for Asset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Asset")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("economy", &self.economy)
            .field("sector", &self.sector)
            .field("operator", &self.operator)
            .field("criticality", &self.criticality)
            .field("people_served", &self.people_served)
            .field("posture", &self.posture)
            .field("resilience", &self.resilience)
            .field("depends_on", &self.depends_on())
            .field("serves", &self.serves())
            .field("repair_hours", &self.repair_hours)
            .finish()
    }
}

/// An asset as one self-contained record, the form [`Asset`] is serialized in (the
/// fields in the order of the model before groups shared their part).
#[derive(Serialize, Deserialize)]
struct AssetRecord {
    id: String,
    name: String,
    economy: EconomyIdx,
    sector: SectorIdx,
    operator: Operator,
    criticality: u8,
    people_served: u64,
    posture: Posture,
    resilience: f64,
    depends_on: Vec<Dependency>,
    serves: Vec<Serve>,
    repair_hours: f64,
}

impl From<Asset> for AssetRecord {
    fn from(a: Asset) -> Self {
        Self {
            id: a.id().into_owned(),
            name: a.name().into_owned(),
            economy: a.economy,
            sector: a.sector,
            operator: a.operator,
            criticality: a.criticality,
            people_served: a.people_served,
            posture: a.posture,
            resilience: a.resilience,
            depends_on: a.depends_on().to_vec(),
            serves: a.serves().to_vec(),
            repair_hours: a.repair_hours,
        }
    }
}

impl From<AssetRecord> for Asset {
    fn from(r: AssetRecord) -> Self {
        Self {
            common: Arc::new(AssetCommon {
                id: r.id,
                name: r.name,
                group: false,
                depends_on: r.depends_on,
                serves: r.serves,
            }),
            member: 0,
            economy: r.economy,
            sector: r.sector,
            operator: r.operator,
            criticality: r.criticality,
            people_served: r.people_served,
            posture: r.posture,
            resilience: r.resilience,
            repair_hours: r.repair_hours,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub capability: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub actor: ActorIdx,
    pub kind: CampaignKind,
    /// Resolved targets in ascending index order, no duplicates, never empty.
    pub targets: Vec<AssetIdx>,
    /// Tick it starts by itself; `None` starts only from an inject.
    pub start: Option<u32>,
    /// Mean ticks per stage, at least 1 (default 3).
    pub stage_ticks: u32,
    /// New targets attempted per tick, at least 1 (default 1).
    pub intensity: u32,
    /// Direct damage to a compromised asset's service, 0-1.
    pub impact: f64,
    /// Ticks after its start at which it stops attempting new targets.
    pub duration: Option<u32>,
    /// Victims per hour per million people served by an asset it holds at impact.
    pub victim_rate: f64,
    /// Mean loss per victim, US dollars; `None`: scaled to the victim's economy.
    pub victim_loss: Option<f64>,
    /// Spam: messages per hour to each person a service it holds at impact serves (0 for
    /// other kinds).
    pub messages: f64,
    /// Spam: victims per message reaching a person, 0-1 (0 for other kinds).
    pub response_rate: f64,
    /// Ransom demanded per compromised asset, US dollars; `None`: scaled to the economy.
    pub ransom: Option<f64>,
    /// Recovery cost per compromised asset besides any ransom; `None`: scaled.
    pub recovery_cost: Option<f64>,
    /// Economy the actor operates from; `None`: outside the region.
    pub origin: Option<EconomyIdx>,
    /// Economies hosting its infrastructure, ascending, no duplicates (the origin alone
    /// when the file names only an origin).
    pub hosting: Vec<EconomyIdx>,
    /// ATT&CK technique ids per stage (validated `T####` or `T####.###`).
    pub techniques: Techniques,
}

/// Default direct damage of a campaign kind when the file does not say.
pub fn default_impact(kind: CampaignKind) -> f64 {
    match kind {
        CampaignKind::Phishing | CampaignKind::IdentityTheft => 0.1,
        CampaignKind::FakeWebsite | CampaignKind::HarmfulContent | CampaignKind::Spam => 0.05,
        CampaignKind::Ddos => 0.6,
        CampaignKind::Ransomware => 0.8,
        CampaignKind::Malware => 0.5,
        CampaignKind::NaturalDisaster => 0.7,
        CampaignKind::TechnicalFailure => 0.6,
    }
}

/// Default victims per hour per million people served, by campaign kind: attacks on
/// people make victims among the people an asset serves (10 per million an hour, a
/// campaign at its peak: see the model's fraud section), harmful content fewer; attacks
/// on machines none.
pub fn default_victim_rate(kind: CampaignKind) -> f64 {
    match kind {
        CampaignKind::Phishing | CampaignKind::IdentityTheft | CampaignKind::FakeWebsite => 10.0,
        CampaignKind::HarmfulContent => 1.0,
        CampaignKind::Spam
        | CampaignKind::Ddos
        | CampaignKind::Ransomware
        | CampaignKind::Malware
        | CampaignKind::NaturalDisaster
        | CampaignKind::TechnicalFailure => 0.0,
    }
}

/// Campaign kinds whose incidents are content or sending served from the campaign's
/// hosting economies (fake sites, phishing pages, harmful content, the command servers of
/// a spam botnet): a takedown there removes it.
pub fn can_be_taken_down(kind: CampaignKind) -> bool {
    matches!(
        kind,
        CampaignKind::FakeWebsite
            | CampaignKind::Phishing
            | CampaignKind::HarmfulContent
            | CampaignKind::Spam
    )
}

/// Percent of spam an economy's providers filter out when the scenario does not say:
/// most spam never reaches an inbox: in 2010 some 88% of the 90 billion emails sent each
/// day to valid addresses were spam, and the providers' filters screen out the
/// overwhelming majority of it (Rao & Reiley 2012). 99% (one message in a hundred gets
/// through) is the model's reading of that, an assumption scenarios can change.
pub const DEFAULT_SPAM_FILTERING: f64 = 99.0;

/// Spam messages sent per hour to each person a targeted service serves, by default:
/// some 90 billion emails a day went to valid addresses in 2010, 88% of them spam (Rao
/// & Reiley 2012), about one spam an hour for each of a few billion mailboxes.
pub const DEFAULT_SPAM_MESSAGES: f64 = 1.0;

/// Victims per spam message reaching a person, by default: Kanich et al. (2008) counted
/// 28 purchases from about 350 million messages their botnet sent (one in 12.5 million);
/// with one in a hundred getting past filtering (the default above), about 8 responses
/// per million messages reaching people.
pub const DEFAULT_SPAM_RESPONSE_RATE: f64 = 0.000_008;

/// Conditions over the world's state (see [`super::raw::RawCondition`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    TickAtLeast(u32),
    /// Service of one asset, or mean service over a scope, below `level`.
    ServiceBelow {
        scope: ServiceScope,
        level: f64,
    },
    TrustBelow {
        economy: EconomyIdx,
        value: f64,
    },
    /// Loss of one economy, or of the region when `economy` is `None`.
    LossAbove {
        economy: Option<EconomyIdx>,
        value: f64,
    },
    Incidents {
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        count: u32,
    },
    /// At least `count` incidents matching the filters reached `state`.
    Reached {
        state: IncidentState,
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        asset: Option<AssetIdx>,
        count: u32,
    },
    /// Something players' actions achieved (see [`ActionCondition`]).
    Action(ActionCondition),
    /// Holds from `delay` ticks after `condition` first held. `watch` numbers this
    /// occurrence among all the scenario's: the world keeps the tick it first held.
    After {
        delay: u32,
        condition: Box<Condition>,
        watch: u32,
    },
    InjectFired(InjectIdx),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

/// A state an incident reaches through watch and warning or a team's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IncidentState {
    /// Its economy knows of it.
    Detected,
    /// Its economy analysed it: campaign, indicators, infrastructure.
    Investigated,
    /// Isolated: it no longer progresses or harms.
    Contained,
    /// The service it hit is back.
    Recovered,
}

/// A condition on what players' actions achieved; each optional field filters, `None`
/// meaning "any". Evaluated over the world's record of outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionCondition {
    /// Indicators of the campaign arrived from `from` in `to`, under `tlp` or a more
    /// open label.
    Shared {
        campaign: Option<CampaignIdx>,
        from: Option<EconomyIdx>,
        to: Option<EconomyIdx>,
        tlp: Option<Tlp>,
    },
    /// A CSIRT of `from` told `to` of assets compromised by the campaign.
    Notified {
        campaign: Option<CampaignIdx>,
        from: Option<EconomyIdx>,
        to: Option<EconomyIdx>,
    },
    /// A request for analysts from `from` reached `to`.
    AssistanceRequested {
        from: Option<EconomyIdx>,
        to: Option<EconomyIdx>,
    },
    /// At least `analysts` lent analysts arrived in all, from `from` in `to`.
    AssistanceDelivered {
        from: Option<EconomyIdx>,
        to: Option<EconomyIdx>,
        analysts: u32,
    },
    /// Legal action by the police of `by` reached `outcome` (`Requested`: any request).
    LegalAction {
        campaign: Option<CampaignIdx>,
        by: Option<EconomyIdx>,
        outcome: LegalOutcome,
    },
    /// A mutual legal assistance request from `from` to `to` reached `outcome`.
    Mla {
        campaign: Option<CampaignIdx>,
        from: Option<EconomyIdx>,
        to: Option<EconomyIdx>,
        outcome: LegalOutcome,
    },
    /// The campaign's content or servers in `host` were taken down.
    Takedown {
        campaign: Option<CampaignIdx>,
        host: Option<EconomyIdx>,
    },
    /// The decision settled on `option` (any if `None`); a default applied at the
    /// deadline counts only with `include_default`.
    Decision {
        decision: DecisionIdx,
        option: Option<u32>,
        include_default: bool,
    },
}

/// What a service condition or objective averages over.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ServiceScope {
    Asset(AssetIdx),
    /// Mean over assets matching both filters (`None` = any); both `None` is the region.
    Mean {
        economy: Option<EconomyIdx>,
        sector: Option<SectorIdx>,
    },
}

/// When an inject fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Trigger {
    /// Only when the facilitator fires it.
    Manual,
    At(u32),
    When(Condition),
    After {
        inject: InjectIdx,
        delay: u32,
    },
}

/// Who receives an inject's narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Every team (and the facilitator).
    All,
    /// These teams (and the facilitator).
    Teams(Vec<TeamIdx>),
    /// The facilitator only.
    Facilitator,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    StartCampaign(CampaignIdx),
    StopCampaign(CampaignIdx),
    DamageAsset {
        asset: AssetIdx,
        amount: f64,
    },
    AdjustTrust {
        economy: EconomyIdx,
        delta: f64,
    },
    SetAwareness {
        economy: EconomyIdx,
        value: u8,
    },
    /// The economy's providers filter spam up to `value` percent (0-100), reached over
    /// the next day ([`crate::spam`]).
    SpamFiltering {
        economy: EconomyIdx,
        value: f64,
    },
    AdjustAnalysts {
        team: TeamIdx,
        delta: i32,
    },
    /// Sets `economy`'s policy on ransom demands of `campaign` (`None`: every ransomware
    /// campaign) from now on.
    Ransom {
        economy: EconomyIdx,
        campaign: Option<CampaignIdx>,
        policy: RansomPolicy,
    },
}

/// What an economy's victims do when ransomware demands payment, once decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RansomPolicy {
    /// Pay the demand.
    Pay,
    /// Refuse and restore from backups (the Counter Ransomware Initiative's 2023 joint
    /// statement: governments should not pay).
    Refuse,
    /// Negotiate through a specialist: pay a reduced share of the demand.
    Negotiate,
}

/// Share of the initial demand paid by those who paid (Sophos, *The State of Ransomware
/// 2025*: 85% on average; 53% of payers paid less than asked, 71% of them by
/// negotiating).
pub const NEGOTIATED_RANSOM_SHARE: f64 = 0.85;

impl RansomPolicy {
    /// Share of a demand this policy pays.
    pub fn paid_share(self) -> f64 {
        match self {
            RansomPolicy::Pay => 1.0,
            RansomPolicy::Refuse => 0.0,
            RansomPolicy::Negotiate => NEGOTIATED_RANSOM_SHARE,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inject {
    pub id: String,
    pub headline: String,
    pub text: String,
    pub trigger: Trigger,
    pub audience: Audience,
    pub effects: Vec<Effect>,
    /// The master scenario events list's columns for facilitators, evaluators and the
    /// exercise package; players see the sender and the channel.
    pub msel: Msel,
}

/// An inject's row of the master scenario events list (MSEL), besides its timing,
/// audience and text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Msel {
    /// Who the message comes from, as role-played ("Minister of Health").
    pub sender: Option<String>,
    pub channel: Option<Channel>,
    /// Recipients by role, as written (already part of the inject's audience).
    pub to_roles: Vec<Role>,
    pub expectations: Vec<Expectation>,
    pub evaluator_notes: String,
    pub questions: Vec<String>,
}

/// An action players are expected to take after an inject, scored as OpenBAS scores its
/// expectations: `score` points for each expected team that takes it in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expectation {
    pub id: String,
    pub description: String,
    /// The command that meets it; `None`: judged by evaluators.
    pub action: Option<crate::command::CommandKind>,
    /// Teams expected to act, sorted, never empty.
    pub teams: Vec<TeamIdx>,
    /// Ticks after the inject fires within which the action counts; `None`: until the end.
    pub within: Option<u32>,
    /// Points, 1-100 (default 100).
    pub score: u32,
    pub objectives: Vec<ObjectiveIdx>,
}

/// What an exercise trains (HSEEP exercise objective aligned to a core capability, or an
/// Open Cyber Range training learning objective): attained by a team that reaches every
/// linked minimum that applies to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingObjective {
    pub id: String,
    pub name: String,
    pub description: String,
    pub capability: Option<CoreCapability>,
    pub objectives: Vec<ObjectiveLink>,
    pub expectations: Vec<ExpectationLink>,
    /// Teams it is for, sorted, never empty.
    pub teams: Vec<TeamIdx>,
}

/// A scenario objective measuring a training objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveLink {
    pub objective: ObjectiveIdx,
    /// Score (0-1) to reach.
    pub min_score: f64,
}

/// An expected action measuring a training objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExpectationLink {
    pub inject: InjectIdx,
    /// Index in the inject's [`Msel::expectations`].
    pub expectation: u32,
    /// Share of its points (0-1) to win.
    pub min_score: f64,
}

/// A decision point: offered to `teams` when its trigger holds, settled by one of them
/// with a `decide` command or, at the deadline, by its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub text: String,
    /// When it is offered ([`Trigger::Manual`] is never used: no trigger means at the start).
    pub trigger: Trigger,
    /// Ascending, no duplicates, never empty.
    pub teams: Vec<TeamIdx>,
    /// Ticks to decide once offered; `None`: until the end.
    pub deadline: Option<u32>,
    /// Option applied at the deadline when nobody chose.
    pub default: Option<u32>,
    /// Two or more.
    pub options: Vec<DecisionOption>,
}

/// One choice of a decision point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionOption {
    pub id: String,
    pub label: String,
    pub text: String,
    pub effects: Vec<Effect>,
    /// What a competent team chooses (bots take it).
    pub recommended: bool,
}

impl Decision {
    /// The option a bot playing a competent team picks, if the author marked one.
    pub fn recommended(&self) -> Option<u32> {
        self.options
            .iter()
            .position(|o| o.recommended)
            .map(|i| i as u32)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub economy: EconomyIdx,
    pub analysts: u32,
    /// Sectors a regulator or operator answers for; empty = all.
    pub sectors: Vec<SectorIdx>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub kind: AgreementKind,
    /// Sorted, no duplicates, at least two.
    pub parties: Vec<EconomyIdx>,
    pub delay: u32,
}

/// A part of the story ending in a discussion while the clock is stopped (CTEP modules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    pub title: String,
    /// The tick it starts at: 0 for the first, rising; it ends where the next starts.
    pub start: u32,
    /// Discussion questions asked at its end.
    pub questions: Vec<String>,
}

/// Whose score an objective counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectiveScope {
    Team(TeamIdx),
    Region,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Goal {
    ServiceAtLeast {
        economy: Option<EconomyIdx>,
        sector: Option<SectorIdx>,
        level: f64,
    },
    TrustAtLeast {
        economy: EconomyIdx,
        level: f64,
    },
    LossAtMost {
        economy: Option<EconomyIdx>,
        amount: f64,
    },
    DetectWithin {
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        ticks: u32,
    },
    ContainWithin {
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        ticks: u32,
    },
    /// Of the children harmful content reached (in one economy or the region), at least
    /// `share` (0-1) safeguarded: referred to a hotline or the police.
    ChildrenSafeguarded {
        economy: Option<EconomyIdx>,
        share: f64,
    },
    /// Children harmful content reached (in one economy or the region) at most `count`.
    ChildrenExposedAtMost {
        economy: Option<EconomyIdx>,
        count: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub id: String,
    pub description: String,
    pub scope: ObjectiveScope,
    /// Positive; default 1.
    pub weight: f64,
    pub goal: Goal,
}

impl Scenario {
    /// Number of dependencies whose two ends lie in different economies.
    pub fn cross_border_dependencies(&self) -> usize {
        self.assets
            .iter()
            .flat_map(|a| a.depends_on().iter().map(move |d| (a.economy, d.on)))
            .filter(|(economy, on)| self.assets[on.index()].economy != *economy)
            .count()
    }

    /// Calls `visit` with every condition, outermost first, in the `when` triggers of the
    /// injects and then of the decision points, in scenario order: the one walk of the
    /// trigger trees for what the world derives from them (watched sectors, kept tallies).
    pub fn each_trigger_condition(&self, mut visit: impl FnMut(&Condition)) {
        fn walk(condition: &Condition, visit: &mut impl FnMut(&Condition)) {
            visit(condition);
            match condition {
                Condition::After { condition, .. } | Condition::Not(condition) => {
                    walk(condition, visit)
                }
                Condition::All(list) | Condition::Any(list) => {
                    for c in list {
                        walk(c, visit);
                    }
                }
                _ => {}
            }
        }
        let triggers = self
            .injects
            .iter()
            .map(|i| &i.trigger)
            .chain(self.decisions.iter().map(|d| &d.trigger));
        for trigger in triggers {
            if let Trigger::When(condition) = trigger {
                walk(condition, &mut visit);
            }
        }
    }

    /// Looks a team up by its id.
    pub fn team_by_id(&self, id: &str) -> Option<TeamIdx> {
        self.teams
            .iter()
            .position(|t| t.id == id)
            .map(|i| TeamIdx(i as u32))
    }
}
