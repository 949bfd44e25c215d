//! Every human-readable name of the exercise, worded once: teams, economies, sectors,
//! assets, incidents, roles, campaign kinds, TLP labels, stages, severities, and what a
//! command acts on. Forms, the after-action report, task lists and the door's
//! refusals all word things through [`Names`], so a player reads the same words
//! everywhere ("everyone", "asset #3", "#3 on Arcadia grid").
//!
//! Names come from a [`Directory`]: a [`View`] (what one seat knows: an asset it cannot
//! see is `asset #3`) or the scenario and the incidents (the facade's door).

use std::borrow::Cow;

use crate::command::{Actor, Arg, Command, IncidentId, Recipient, Tlp};
use crate::scenario::model::{
    AssetIdx, CampaignKind, Channel, DecisionIdx, EconomyIdx, Effect, InjectIdx, RansomPolicy,
    Role, Scenario, SectorIdx, TeamIdx,
};
use crate::view::{Severity, Stage, View};

/// Where the names of things are looked up.
pub trait Directory {
    fn team_name(&self, team: TeamIdx) -> Option<&str>;
    fn economy_name(&self, economy: EconomyIdx) -> Option<&str>;
    fn sector_name(&self, sector: SectorIdx) -> Option<&str>;
    /// An asset's name (a group member's is built from its group's).
    fn asset_name(&self, asset: AssetIdx) -> Option<Cow<'_, str>>;
    /// The asset an incident struck, if the directory knows the incident.
    fn incident_asset(&self, incident: IncidentId) -> Option<AssetIdx>;
    /// The current headline of an inject.
    fn inject_headline(&self, inject: InjectIdx) -> Option<&str>;
    /// A decision point's title and the label of one of its options.
    fn decision_choice(&self, decision: DecisionIdx, option: u32) -> Option<(&str, &str)>;
}

impl Directory for View {
    fn team_name(&self, team: TeamIdx) -> Option<&str> {
        self.teams
            .iter()
            .find(|t| t.idx == team)
            .map(|t| t.name.as_str())
    }

    fn economy_name(&self, economy: EconomyIdx) -> Option<&str> {
        self.economies
            .iter()
            .find(|e| e.idx == economy)
            .map(|e| e.name.as_str())
    }

    fn sector_name(&self, sector: SectorIdx) -> Option<&str> {
        self.sectors
            .iter()
            .find(|s| s.idx == sector)
            .map(|s| s.name.as_str())
    }

    fn asset_name(&self, asset: AssetIdx) -> Option<Cow<'_, str>> {
        self.assets
            .iter()
            .find(|a| a.idx == asset)
            .map(|a| Cow::Borrowed(a.name.as_str()))
    }

    fn incident_asset(&self, incident: IncidentId) -> Option<AssetIdx> {
        self.incidents
            .iter()
            .find(|i| i.id == incident)
            .map(|i| i.asset)
    }

    fn inject_headline(&self, inject: InjectIdx) -> Option<&str> {
        self.injects
            .iter()
            .find(|i| i.idx == inject)
            .map(|i| i.headline.as_str())
    }

    fn decision_choice(&self, decision: DecisionIdx, option: u32) -> Option<(&str, &str)> {
        let d = self.decisions.iter().find(|d| d.idx == decision)?;
        let o = d.options.get(option as usize)?;
        Some((d.title.as_str(), o.label.as_str()))
    }
}

/// The scenario's own names; it knows no incident and no rewritten headline.
impl Directory for Scenario {
    fn team_name(&self, team: TeamIdx) -> Option<&str> {
        self.teams.get(team.index()).map(|t| t.name.as_str())
    }

    fn economy_name(&self, economy: EconomyIdx) -> Option<&str> {
        self.economies.get(economy.index()).map(|e| e.name.as_str())
    }

    fn sector_name(&self, sector: SectorIdx) -> Option<&str> {
        self.sectors.get(sector.index()).map(|s| s.name.as_str())
    }

    fn asset_name(&self, asset: AssetIdx) -> Option<Cow<'_, str>> {
        self.assets.get(asset.index()).map(|a| a.name())
    }

    fn incident_asset(&self, _incident: IncidentId) -> Option<AssetIdx> {
        None
    }

    fn inject_headline(&self, inject: InjectIdx) -> Option<&str> {
        self.injects
            .get(inject.index())
            .map(|i| i.headline.as_str())
    }

    fn decision_choice(&self, decision: DecisionIdx, option: u32) -> Option<(&str, &str)> {
        let d = self.decisions.get(decision.index())?;
        let o = d.options.get(option as usize)?;
        Some((d.title.as_str(), o.label.as_str()))
    }
}

/// Human-readable names over a [`Directory`]; anything it does not know is named by
/// its number (`asset #3`).
#[derive(Clone, Copy)]
pub struct Names<'a, D: Directory + ?Sized = View>(pub &'a D);

impl<D: Directory + ?Sized> Names<'_, D> {
    pub fn team(&self, team: TeamIdx) -> String {
        named(self.0.team_name(team), "team", team.0)
    }

    pub fn economy(&self, economy: EconomyIdx) -> String {
        named(self.0.economy_name(economy), "economy", economy.0)
    }

    /// Several economies: `Arcadia, Borealis`.
    pub fn economies(&self, economies: &[EconomyIdx]) -> String {
        economies
            .iter()
            .map(|e| self.economy(*e))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn sector(&self, sector: SectorIdx) -> String {
        named(self.0.sector_name(sector), "sector", sector.0)
    }

    pub fn asset(&self, asset: AssetIdx) -> String {
        named(self.0.asset_name(asset).as_deref(), "asset", asset.0)
    }

    /// `#3 on Arcadia grid` (`#3` when the directory does not know the incident).
    pub fn incident(&self, incident: IncidentId) -> String {
        match self.0.incident_asset(incident) {
            Some(asset) => format!("#{} on {}", incident.0, self.asset(asset)),
            None => format!("#{}", incident.0),
        }
    }

    /// An inject by its current headline.
    pub fn inject(&self, inject: InjectIdx) -> String {
        named(self.0.inject_headline(inject), "inject", inject.0)
    }

    /// An option of a decision point: `Pay the ransom? Refuse and restore`.
    pub fn choice(&self, decision: DecisionIdx, option: u32) -> String {
        match self.0.decision_choice(decision, option) {
            Some((title, label)) => format!("{title} {label}"),
            None => format!("decision #{} option #{option}", decision.0),
        }
    }

    /// Who sent or did something.
    pub fn actor(&self, actor: Actor) -> String {
        match actor {
            Actor::Team(team) => self.team(team),
            Actor::Facilitator => FACILITATOR.to_string(),
        }
    }

    /// Who a message goes to.
    pub fn recipient(&self, to: Recipient) -> String {
        match to {
            Recipient::Team(team) => self.team(team),
            Recipient::Economy(economy) => format!("all of {}", self.economy(economy)),
            Recipient::Facilitator => FACILITATOR.to_string(),
            Recipient::All => EVERYONE.to_string(),
        }
    }

    /// One argument of a command, in words.
    pub fn arg(&self, arg: &Arg) -> String {
        match arg {
            Arg::Incident(id) => self.incident(*id),
            Arg::Asset(asset) => self.asset(*asset),
            Arg::Sector(sector) => self.sector(*sector),
            Arg::Economy(economy) => self.economy(*economy),
            Arg::Economies(list) => self.economies(list),
            Arg::Team(team) => self.team(*team),
            Arg::Teams(teams) => teams
                .iter()
                .map(|t| self.team(*t))
                .collect::<Vec<_>>()
                .join(", "),
            Arg::Tlp(tlp) => tlp_name(*tlp).to_string(),
            Arg::Pillar(pillar) => format!("{} readiness", pillar.name()),
            Arg::Count(n) => analysts(*n),
            Arg::Recipient(to) => self.recipient(*to),
            Arg::Inject(inject) => self.inject(*inject),
            Arg::Text(text) => text.clone(),
            Arg::Choice { decision, option } => self.choice(*decision, *option),
        }
    }

    /// What a command acts on, in words, from its catalogue entry's `target` wording:
    /// `#3 on Arcadia grid to Borealis (TLP:GREEN)`.
    pub fn target(&self, command: &Command) -> String {
        let args = command.args();
        let mut out = String::new();
        let mut rest = command.kind().spec().target;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if let Some((_, arg)) = args.iter().find(|(n, _)| *n == name) {
                out.push_str(&self.arg(arg));
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// What an effect of an inject or a decision's option does, in the scenario's words:
/// `trust in Serrana -2 points`.
pub fn effect(scenario: &Scenario, effect: &Effect) -> String {
    let names = Names(scenario);
    let campaign = |c: crate::scenario::model::CampaignIdx| {
        scenario
            .campaigns
            .get(c.index())
            .map_or_else(|| format!("campaign #{}", c.0), |c| c.name.clone())
    };
    match *effect {
        Effect::StartCampaign(c) => format!("starts {}", campaign(c)),
        Effect::StopCampaign(c) => format!("stops {}", campaign(c)),
        Effect::DamageAsset { asset, amount } => {
            format!("damages {} by {:.0}%", names.asset(asset), amount * 100.0)
        }
        Effect::AdjustTrust { economy, delta } => {
            format!("trust in {} {delta:+} points", names.economy(economy))
        }
        Effect::SetAwareness { economy, value } => {
            format!("awareness in {} set to {value}", names.economy(economy))
        }
        Effect::SpamFiltering { economy, value } => {
            format!(
                "providers in {} filter {value}% of spam",
                names.economy(economy)
            )
        }
        Effect::AdjustAnalysts { team, delta } => {
            format!("{} {delta:+} analyst(s)", names.team(team))
        }
        Effect::Ransom {
            economy,
            campaign: c,
            policy,
        } => {
            let which = c.map_or_else(|| "ransomware".to_string(), campaign);
            let (low, high) = ransom_demand(scenario, economy, c);
            let amount =
                |share: f64| demand_in_context(scenario, economy, low * share, high * share);
            let what = match policy {
                RansomPolicy::Pay => format!(
                    "pays the ransom: {}, for each compromised system",
                    amount(1.0)
                ),
                RansomPolicy::Refuse => format!(
                    "refuses to pay a demand of {} for each compromised system, restores \
                     from backups",
                    amount(1.0)
                ),
                RansomPolicy::Negotiate => format!(
                    "negotiates: pays {:.0}% of the demand, {}, for each compromised system",
                    policy.paid_share() * 100.0,
                    amount(policy.paid_share())
                ),
            };
            format!("{} {what} ({which})", names.economy(economy))
        }
    }
}

/// The lowest and highest ransom demanded of one compromised system in `economy` by
/// `campaign`, or by every ransomware campaign of the scenario without one (the
/// published mean scaled to the economy's income when it has none): what a ransom
/// policy pays a share of (`economics::ransom`).
fn ransom_demand(
    scenario: &Scenario,
    economy: EconomyIdx,
    campaign: Option<crate::scenario::model::CampaignIdx>,
) -> (f64, f64) {
    let Some(economy) = scenario.economies.get(economy.index()) else {
        return (0.0, 0.0);
    };
    let campaigns: Vec<&crate::scenario::model::Campaign> = match campaign {
        Some(c) => scenario.campaigns.get(c.index()).into_iter().collect(),
        None => scenario
            .campaigns
            .iter()
            .filter(|c| c.kind == CampaignKind::Ransomware)
            .collect(),
    };
    let demands: Vec<f64> = campaigns
        .into_iter()
        .map(|c| crate::economics::ransom(c, economy))
        .collect();
    if demands.is_empty() {
        let default = crate::economics::RANSOM_PAYMENT * crate::economics::income_scale(economy);
        return (default, default);
    }
    let low = demands.iter().copied().fold(f64::INFINITY, f64::min);
    let high = demands.iter().copied().fold(0.0, f64::max);
    (low, high)
}

/// A sum from `low` to `high` (one sum when they agree) with its share of `economy`'s
/// output for the exercise: `$1.7M, 0.04% of Arcadia's output for the exercise`.
fn demand_in_context(scenario: &Scenario, economy: EconomyIdx, low: f64, high: f64) -> String {
    let output = crate::economics::exercise_output(scenario, Some(economy));
    let name = Names(scenario).economy(economy);
    if crate::money::short(low) == crate::money::short(high) {
        crate::money::in_context(high, output, &name)
    } else {
        format!(
            "{} to {}, up to {} of {name}'s output for the exercise",
            crate::money::short(low),
            crate::money::short(high),
            crate::money::share(high, output)
        )
    }
}

/// The facilitator's seat, as players read it.
pub const FACILITATOR: &str = "Facilitator";

/// Evaluator number `n` (from 0, in the order of their codes), as seats, slips and the
/// report name them: `Evaluator 1` for the first.
pub fn evaluator(n: u32) -> String {
    format!("Evaluator {}", n.saturating_add(1))
}
/// Every team and the facilitator, as a recipient.
pub const EVERYONE: &str = "everyone";

fn named(name: Option<&str>, what: &str, number: u32) -> String {
    name.map_or_else(|| format!("{what} #{number}"), str::to_string)
}

/// `1 analyst`, `4 analysts`.
pub fn analysts(n: u32) -> String {
    if n == 1 {
        "1 analyst".to_string()
    } else {
        format!("{n} analysts")
    }
}

pub fn role(role: Role) -> &'static str {
    match role {
        Role::Csirt => "CSIRT",
        Role::Regulator => "regulator",
        Role::Operator => "operator",
        Role::LawEnforcement => "law enforcement",
    }
}

/// A team of any of these roles, with its article, for sentences: `a regulator or
/// operator team`, `an operator team`.
pub fn a_team_of(roles: &[Role]) -> String {
    let Some(first) = roles.first() else {
        return "the facilitator".to_string();
    };
    let article = if *first == Role::Operator { "an" } else { "a" };
    let names: Vec<&str> = roles.iter().map(|r| role(*r)).collect();
    let list = match names.as_slice() {
        [] | [_] => names.concat(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    format!("{article} {list} team")
}

/// How an inject reaches the players, for its header: `by email`.
pub fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Phone => "phone call",
        Channel::Media => "press, television or radio",
        Channel::Social => "social media",
        Channel::Briefing => "briefing by the facilitator",
    }
}

pub fn campaign_kind(kind: CampaignKind) -> &'static str {
    match kind {
        CampaignKind::Phishing => "phishing",
        CampaignKind::IdentityTheft => "identity theft",
        CampaignKind::FakeWebsite => "fake website",
        CampaignKind::Ddos => "DDoS",
        CampaignKind::Ransomware => "ransomware",
        CampaignKind::Malware => "malware",
        CampaignKind::HarmfulContent => "harmful content",
        CampaignKind::Spam => "spam",
        CampaignKind::NaturalDisaster => "natural disaster",
        CampaignKind::TechnicalFailure => "technical failure",
    }
}

/// The label as FIRST's TLP 2.0 writes it: `TLP:AMBER`.
pub fn tlp_name(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "TLP:CLEAR",
        Tlp::Green => "TLP:GREEN",
        Tlp::Amber => "TLP:AMBER",
        Tlp::AmberStrict => "TLP:AMBER+STRICT",
        Tlp::Red => "TLP:RED",
    }
}

/// Who may receive information under the label (TLP 2.0), in a few words.
pub fn tlp_meaning(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "public: every economy",
        Tlp::Green => "community: every team of the region",
        Tlp::Amber => "the recipient economies' teams",
        Tlp::AmberStrict => "the recipient economies' CSIRTs only",
        Tlp::Red => "the named teams only",
    }
}

pub fn stage(stage: Stage) -> &'static str {
    match stage {
        Stage::Reconnaissance => "recon",
        Stage::InitialAccess => "initial access",
        Stage::Foothold => "foothold",
        Stage::Impact => "impact",
    }
}

pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::CommandKind;
    use crate::testkit::two_economies;

    /// A ransom policy on every ransomware campaign gives the range of their demands for
    /// one compromised system, as a share of the economy's output for the exercise.
    #[test]
    fn a_ransom_policy_on_every_campaign_gives_the_range_of_their_demands_in_context() {
        let mut scenario = two_economies();
        scenario.campaigns[0].ransom = Some(1_000_000.0);
        let mut dearer = scenario.campaigns[0].clone();
        dearer.id = "dearer".into();
        dearer.ransom = Some(3_000_000.0);
        scenario.campaigns.push(dearer);
        let output = crate::economics::exercise_output(&scenario, Some(EconomyIdx(0)));
        let effect = |policy| {
            super::effect(
                &scenario,
                &Effect::Ransom {
                    economy: EconomyIdx(0),
                    campaign: None,
                    policy,
                },
            )
        };
        assert_eq!(
            effect(RansomPolicy::Pay),
            format!(
                "strong economy pays the ransom: $1M to $3M, up to {} of strong economy's \
                 output for the exercise, for each compromised system (ransomware)",
                crate::money::share(3_000_000.0, output)
            )
        );
        assert!(
            effect(RansomPolicy::Negotiate).contains("pays 85% of the demand, $850k to $2.55M,"),
            "{}",
            effect(RansomPolicy::Negotiate)
        );
    }

    #[test]
    fn unknown_things_are_named_by_number_one_way() {
        let scenario = two_economies();
        let names = Names(&scenario);
        assert_eq!(names.asset(AssetIdx(0)), "strong-grid");
        assert_eq!(names.asset(AssetIdx(99)), "asset #99");
        assert_eq!(names.economy(EconomyIdx(9)), "economy #9");
        assert_eq!(names.team(TeamIdx(9)), "team #9");
        assert_eq!(names.incident(IncidentId(4)), "#4");
        assert_eq!(names.recipient(Recipient::All), "everyone");
        assert_eq!(
            names.recipient(Recipient::Economy(EconomyIdx(1))),
            "all of weak economy"
        );
    }

    #[test]
    fn targets_follow_the_catalogue_wording() {
        let scenario = two_economies();
        let names = Names(&scenario);
        let cases = [
            (Command::Restore { asset: AssetIdx(2) }, "strong-bank"),
            (Command::AwarenessCampaign, "the public"),
            (
                Command::ShareIndicators {
                    incident: IncidentId(3),
                    with: vec![EconomyIdx(0), EconomyIdx(1)],
                    tlp: Tlp::Green,
                    teams: Vec::new(),
                },
                "#3 to strong economy, weak economy (TLP:GREEN)",
            ),
            (
                Command::RequestAssistance {
                    from: EconomyIdx(0),
                    analysts: 1,
                },
                "1 analyst from strong economy",
            ),
            (
                Command::ProvideAssistance {
                    to: TeamIdx(4),
                    analysts: 3,
                },
                "3 analysts to weak-csirt",
            ),
            (
                Command::Message {
                    to: Recipient::All,
                    text: "hello".into(),
                },
                "to everyone: hello",
            ),
        ];
        for (command, words) in cases {
            assert_eq!(names.target(&command), words, "{:?}", command.kind());
        }
    }

    #[test]
    fn every_target_wording_names_only_parameters_of_its_command() {
        for kind in CommandKind::ALL {
            let spec = kind.spec();
            let mut rest = spec.target;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').expect("closed") + open;
                let name = &rest[open + 1..close];
                assert!(
                    spec.params.iter().any(|p| p.name == name),
                    "{kind:?}: `{{{name}}}` is not a parameter"
                );
                rest = &rest[close + 1..];
            }
        }
    }
}
