//! The rules at the door: who may do what, for whom, at what cost in analysts and
//! ticks. Durations are hours of work scaled with the acting economy's readiness on the
//! relevant ITU GCA pillar (`hours = base x (150 - readiness) / 100`: half the base time
//! at full readiness, one and a half at none; ticks = those hours rounded up to whole
//! ticks of the scenario's length), mutual legal assistance with both economies'
//! legal readiness and their MLA agreement (APEC 2005 action area 2), lent analysts
//! with the assistance agreement between the economies (APEC 2005 action area 3),
//! restoring with the asset's backups.

use crate::command::{Analysts, Command, Duration, IncidentId, Recipient, Tlp};
use crate::decisions::DecisionPoints;
use crate::names::{self, Names};
use crate::protection::ChildProtection;
use crate::scenario::model::{
    AgreementKind, AssetIdx, CampaignKind, DecisionIdx, EconomyIdx, InjectIdx, Readiness, Role,
    Scenario, SectorIdx, TeamIdx, can_be_taken_down,
};
use crate::sim::error::CommandError;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::command::TaskId;
use crate::world::{
    Assets, Assignment, Clock, Done, Firing, Id, Ids, IncidentRecord, IncidentRecordItem,
    NO_INCIDENT, Pillars, ScenarioData, Staff,
};

/// Longest message, broadcast or inject text accepted.
pub const MAX_TEXT: usize = 2000;
/// Ticks analysts lent to another team stay with it once they have arrived.
pub const ASSISTANCE_TICKS: u32 = 12;

/// What an accepted team command costs. It holds no words: bots, which submit most
/// commands, never read them, so the accepted message is worded only when read
/// ([`crate::Accepted::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Analysts it occupies (lent, for assistance).
    pub analysts: u32,
    pub ticks: u32,
    /// The analysts go to another team rather than working here.
    pub lends: bool,
    /// The tick lent analysts reach the borrower, for assistance.
    pub arrives: Option<u32>,
    /// The asset struck by the incident it acts on, which its message names.
    pub incident_asset: Option<AssetIdx>,
}

/// `ceil(base x (150 - readiness) / 100)`, at least 1, in the unit of `base`.
pub fn scaled_ticks(base: u32, readiness: u8) -> u32 {
    let factor = 150 - u32::from(readiness.min(100));
    (base * factor).div_ceil(100).max(1)
}

/// Ticks an action of `base_hours` hours of work takes at `readiness` in a scenario of
/// `tick_minutes` a tick: `ceil(base_hours x (150 - readiness) / 100 x 60 /
/// tick_minutes)`, at least 1. The work is counted in hours, as detection and repair
/// rates are, so a scenario's tick length does not change how long an investigation
/// takes; with hourly ticks this is [`scaled_ticks`].
pub fn work_ticks(base_hours: u32, readiness: u8, tick_minutes: u32) -> u32 {
    let factor = 150 - u32::from(readiness.min(100));
    (base_hours * factor * 60)
        .div_ceil(100 * tick_minutes.max(1))
        .max(1)
}

/// Ticks for information or a request between two economies: their agreement of
/// `kind` if any (the shortest), else the scenario's default.
pub fn agreement_delay(
    scenario: &Scenario,
    kind: AgreementKind,
    a: EconomyIdx,
    b: EconomyIdx,
    default: u32,
) -> u32 {
    scenario
        .agreements
        .iter()
        .filter(|g| g.kind == kind && g.parties.contains(&a) && g.parties.contains(&b))
        .map(|g| g.delay)
        .min()
        .unwrap_or(default)
}

/// Ticks for analysts lent by a team of economy `lender` to reach a team of economy
/// `borrower`: none at home, else the shortest assistance agreement covering both, else
/// the scenario's `assistance_delay_without_agreement`. Agreed procedures, points of
/// contact and trusted channels arranged in advance are what make help arrive quickly
/// (APEC 2005 action area 3, "the cooperative arrangements to support these efforts";
/// ITU 2009, "share information and assist one and other in developing national watch
/// and warning and incident management capabilities", partnerships built on mutual
/// trust).
pub fn assistance_delay(scenario: &Scenario, lender: EconomyIdx, borrower: EconomyIdx) -> u32 {
    if lender == borrower {
        return 0;
    }
    agreement_delay(
        scenario,
        AgreementKind::Assistance,
        lender,
        borrower,
        scenario.meta.assistance_delay_without_agreement,
    )
}

/// Who receives indicators shared by `from` under `tlp` (FIRST TLP 2.0), as (economy,
/// team): `None` for every team of the economy, `Some` for that team only.
///
/// - CLEAR and GREEN: every other economy of the region (published; the community).
/// - AMBER: the `with` economies, all their teams (the organisation and its clients).
/// - AMBER+STRICT: the CSIRT of each `with` economy only (the organisation only; an
///   economy with no CSIRT: its first team).
/// - RED: the named `teams` only.
pub fn tlp_recipients(
    scenario: &Scenario,
    from: EconomyIdx,
    with: &[EconomyIdx],
    tlp: Tlp,
    teams: &[TeamIdx],
) -> Vec<(EconomyIdx, Option<TeamIdx>)> {
    let mut with: Vec<EconomyIdx> = with.iter().copied().filter(|e| *e != from).collect();
    with.sort_unstable();
    with.dedup();
    match tlp {
        Tlp::Clear | Tlp::Green => (0..scenario.economies.len() as u32)
            .map(EconomyIdx)
            .filter(|e| *e != from)
            .map(|e| (e, None))
            .collect(),
        Tlp::Amber => with.into_iter().map(|e| (e, None)).collect(),
        Tlp::AmberStrict => with
            .into_iter()
            .filter_map(|e| {
                let of = |role: Option<Role>| {
                    scenario
                        .teams
                        .iter()
                        .position(|t| t.economy == e && role.is_none_or(|r| t.role == r))
                };
                of(Some(Role::Csirt))
                    .or_else(|| of(None))
                    .map(|t| (e, Some(TeamIdx(t as u32))))
            })
            .collect(),
        Tlp::Red => {
            let mut named: Vec<TeamIdx> = teams.to_vec();
            named.sort_unstable();
            named.dedup();
            named
                .into_iter()
                .filter_map(|t| scenario.teams.get(t.index()).map(|info| (info.economy, t)))
                .filter(|(e, _)| *e != from)
                .map(|(e, t)| (e, Some(t)))
                .collect()
        }
    }
}

/// Read access to what validation needs: the door of the facade, a system parameter
/// read through a `SystemState` for every command submitted. It fetches up front only
/// what most team commands read; what few commands read (the clock, injects, decision
/// points, referrals) is looked up in `world` when read, as fetching each costs about as
/// much as checking a command.
#[derive(SystemParam)]
pub struct Door<'w, 's> {
    world: &'w World,
    scenario: Res<'w, ScenarioData>,
    assets: Res<'w, Assets>,
    incident_ids: Res<'w, Ids<IncidentId>>,
    incidents: Query<'w, 's, IncidentRecord>,
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static Staff>,
    running: Query<'w, 's, (&'static Id<TaskId>, &'static Assignment), Without<Done>>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    pillars: Query<'w, 's, &'static Pillars>,
}

impl Door<'_, '_> {
    /// Checks a facilitator command.
    pub fn check_facilitator(&self, command: &Command) -> Result<(), CommandError> {
        match command {
            Command::FireInject { inject } => self.unfired_inject(inject.0).map(|_| ()),
            Command::EditInject {
                inject,
                headline,
                text,
            } => {
                self.unfired_inject(inject.0)?;
                check_text(headline)?;
                check_length(text)
            }
            Command::Broadcast { text } => check_text(text),
            other => Err(CommandError::TeamOnly {
                action: other.label().to_string(),
            }),
        }
    }

    fn unfired_inject(&self, index: u32) -> Result<(), CommandError> {
        let ids = self.world.resource::<Ids<InjectIdx>>();
        let state = ids
            .get(InjectIdx(index))
            .and_then(|e| self.world.get::<Firing>(e))
            .ok_or_else(|| CommandError::UnknownTarget {
                what: "inject".into(),
                index,
                hint: count_hint("inject", ids.len()),
            })?;
        if state.fired_at.is_some() || state.queued {
            return Err(CommandError::AlreadyFired { inject: index });
        }
        Ok(())
    }

    /// Checks a team command and works out its cost.
    pub fn check_team(&self, team: TeamIdx, command: &Command) -> Result<Plan, CommandError> {
        let info = self
            .scenario
            .0
            .teams
            .get(team.index())
            .ok_or(CommandError::UnknownTeam {
                team: team.0,
                count: self.scenario.0.teams.len() as u32,
            })?;
        if command.is_facilitator_only() {
            return Err(CommandError::FacilitatorOnly {
                action: command.kind().verb().to_string(),
            });
        }
        let kind = command.kind();
        if !kind.allowed_to(info.role) {
            return Err(CommandError::RoleMayNot {
                role: names::a_team_of(&[info.role]),
                action: kind.verb().to_string(),
                allowed: names::a_team_of(kind.roles()),
            });
        }
        let plan = self.plan(team, command)?;
        if let Some((task, holder)) = self.duplicate(team, command) {
            return Err(CommandError::AlreadyInProgress {
                task: task.0,
                holder,
                team: Names(&*self.scenario.0).team(holder),
            });
        }
        let free = self
            .team_ids
            .get(team)
            .and_then(|e| self.teams.get(e).ok())
            .map_or(0, Staff::free);
        if plan.analysts > free {
            return Err(CommandError::NotEnoughAnalysts {
                action: kind.verb().to_string(),
                needed: plan.analysts,
                free,
            });
        }
        Ok(plan)
    }

    /// The oldest unfinished task of the same economy doing exactly this, and the team
    /// doing it.
    fn duplicate(&self, team: TeamIdx, command: &Command) -> Option<(TaskId, TeamIdx)> {
        if !command.kind().spec().one_at_a_time {
            return None;
        }
        let economy_of = |t: TeamIdx| self.scenario.0.teams.get(t.index()).map(|t| t.economy);
        let economy = economy_of(team)?;
        self.running
            .iter()
            .filter(|(_, task)| economy_of(task.team) == Some(economy) && task.command == *command)
            .map(|(id, task)| (id.0, task.team))
            .min()
    }

    /// Works out what an accepted command costs, from its catalogue entry.
    fn plan(&self, team: TeamIdx, command: &Command) -> Result<Plan, CommandError> {
        let incident_asset = self.check_targets(team, command)?;
        let info = &self.scenario.0.teams[team.index()];
        let readiness = self.readiness(info.economy);
        let spec = command.kind().spec();
        let tick_minutes = self.scenario.0.meta.tick_minutes;
        let ticks = match (spec.duration, command) {
            (Duration::Instant, _) => 0,
            (Duration::Readiness { base, pillar }, _) => {
                work_ticks(base, pillar.of(readiness), tick_minutes)
            }
            (Duration::Backups { base }, Command::Restore { asset }) => work_ticks(
                base,
                self.assets.posture[asset.index()].backups,
                tick_minutes,
            ),
            (Duration::LegalAssistance, Command::MutualLegalAssistance { to, .. }) => {
                let delay = agreement_delay(
                    &self.scenario.0,
                    AgreementKind::MutualLegalAssistance,
                    info.economy,
                    *to,
                    self.scenario.0.meta.mla_delay_without_agreement,
                );
                let legal = (u32::from(readiness.legal) + u32::from(self.readiness(*to).legal)) / 2;
                // The agreement's delay is the scenario's, in ticks.
                scaled_ticks(delay.max(1), legal as u8)
            }
            (Duration::Loan, Command::ProvideAssistance { to, .. }) => {
                self.loan_delay(team, *to) + ASSISTANCE_TICKS
            }
            // The catalogue pairs these durations with the commands above (a test
            // checks it); any other pairing takes one tick.
            (Duration::Backups { .. } | Duration::LegalAssistance | Duration::Loan, _) => 1,
        };
        let arrives = match command {
            Command::ProvideAssistance { to, .. } => {
                Some(self.world.resource::<Clock>().tick + self.loan_delay(team, *to))
            }
            _ => None,
        };
        Ok(Plan {
            analysts: command.analysts(),
            ticks,
            lends: spec.analysts == Analysts::Lent,
            arrives,
            incident_asset,
        })
    }

    /// An economy's readiness now (training and capacity building raise the scenario's).
    fn readiness(&self, economy: EconomyIdx) -> Readiness {
        self.economy_ids
            .get(economy)
            .and_then(|e| self.pillars.get(e).ok())
            .map_or(self.scenario.0.economies[economy.index()].readiness, |p| {
                p.0
            })
    }

    /// Ticks for analysts lent by `team` to reach `to`.
    fn loan_delay(&self, team: TeamIdx, to: TeamIdx) -> u32 {
        let lender = self.scenario.0.teams[team.index()].economy;
        let borrower = self.scenario.0.teams[to.index()].economy;
        assistance_delay(&self.scenario.0, lender, borrower)
    }

    /// What must hold of a team command's targets for it to be accepted, kind by kind;
    /// the asset struck by the incident it acts on, if any (its message names it).
    fn check_targets(
        &self,
        team: TeamIdx,
        command: &Command,
    ) -> Result<Option<AssetIdx>, CommandError> {
        let info = &self.scenario.0.teams[team.index()];
        let incident = match command {
            Command::Investigate { incident } => {
                // Work continues after containment: a contained incident can still be
                // analysed for its campaign, indicators and infrastructure.
                Some(self.own_incident(team, *incident)?)
            }
            Command::Contain { incident } => {
                Some(self.own_open_incident(team, *incident, "contain")?)
            }
            Command::Restore { asset } => {
                self.own_asset(team, *asset)?;
                let a = asset.index();
                // Worded only for a refusal: a group member's name is built.
                let name = || self.scenario.0.assets[a].name().into_owned();
                let open = self.assets.open_incident[a];
                if open != NO_INCIDENT
                    && !self.incident(IncidentId(open)).is_ok_and(|i| i.hit.hazard)
                {
                    return Err(CommandError::ContainFirst {
                        asset: name(),
                        incident: open,
                    });
                }
                if self.assets.damage[a] <= 0.0 {
                    return Err(CommandError::NothingToRestore { asset: name() });
                }
                None
            }
            Command::HardenSector { sector } | Command::CoordinateOperators { sector } => {
                self.own_sector(team, *sector)?;
                None
            }
            Command::AwarenessCampaign | Command::Train { .. } => None,
            Command::BuildCapacity { to, .. } => {
                self.economy_exists(*to)?;
                if *to == info.economy {
                    return Err(CommandError::OwnEconomy {
                        what: "capacity-building assistance".into(),
                    });
                }
                None
            }
            Command::ShareIndicators {
                incident,
                with,
                tlp,
                teams,
            } => {
                let inc = self.known_incident(team, *incident)?;
                self.require_investigated(*incident, &inc, "share its indicators")?;
                let others: Vec<&EconomyIdx> =
                    with.iter().filter(|e| **e != info.economy).collect();
                if others.is_empty() {
                    return Err(CommandError::NoRecipients {
                        what: "sharing indicators".into(),
                    });
                }
                for e in others {
                    self.economy_exists(*e)?;
                }
                if *tlp == Tlp::Red {
                    self.named_recipients(info.economy, with, teams)?;
                }
                Some(inc)
            }
            Command::Notify { incident, to } => {
                // Who else talks to the campaign's servers is what the sender's own
                // investigation of it at home saw.
                let inc = self.own_incident(team, *incident)?;
                self.require_investigated(*incident, &inc, "notify another CSIRT about it")?;
                self.economy_exists(*to)?;
                if *to == info.economy {
                    return Err(CommandError::OwnEconomy {
                        what: "a notification".into(),
                    });
                }
                Some(inc)
            }
            Command::RequestAssistance { from, analysts } => {
                self.economy_exists(*from)?;
                if *from == info.economy {
                    return Err(CommandError::OwnEconomy {
                        what: "a request for assistance".into(),
                    });
                }
                if *analysts == 0 {
                    return Err(CommandError::ZeroAnalysts);
                }
                None
            }
            Command::ProvideAssistance { to, analysts } => {
                if to.index() >= self.scenario.0.teams.len() {
                    return Err(CommandError::UnknownTarget {
                        what: "team".into(),
                        index: to.0,
                        hint: count_hint("team", self.scenario.0.teams.len()),
                    });
                }
                if *to == team {
                    return Err(CommandError::OwnEconomy {
                        what: "assistance".into(),
                    });
                }
                if *analysts == 0 {
                    return Err(CommandError::ZeroAnalysts);
                }
                None
            }
            Command::LegalAction { incident } => {
                // Police act on their own cases and on partners' shared indicators (the
                // people behind a campaign may live where none of its victims do).
                let inc = self.known_incident(team, *incident)?;
                self.require_investigated(*incident, &inc, "take legal action")?;
                Some(inc)
            }
            Command::MutualLegalAssistance { incident, to } => {
                let inc = self.known_incident(team, *incident)?;
                self.require_investigated(*incident, &inc, "request mutual legal assistance")?;
                self.economy_exists(*to)?;
                if *to == info.economy {
                    return Err(CommandError::OwnEconomy {
                        what: "a mutual legal assistance request".into(),
                    });
                }
                Some(inc)
            }
            Command::Takedown { incident } => {
                // Done where the content is hosted, on an incident known at home (own or
                // shared indicators), contained or not.
                let inc = self.known_incident(team, *incident)?;
                if !can_be_taken_down(inc.hit.kind) {
                    return Err(CommandError::NotTakedownKind {
                        incident: incident.0,
                        kind: names::campaign_kind(inc.hit.kind).to_string(),
                    });
                }
                self.require_investigated(*incident, &inc, "take its content down")?;
                let hosting = &self.scenario.0.campaigns[inc.hit.campaign.index()].hosting;
                if !hosting.contains(&info.economy) {
                    return Err(CommandError::NotHostedHere {
                        incident: incident.0,
                        economy: self.scenario.0.economies[info.economy.index()].name.clone(),
                    });
                }
                Some(inc)
            }
            Command::Refer { incident } => {
                // The children reached live in the incident's economy: its own teams
                // report it, contained or not.
                let inc = self.known_incident(team, *incident)?;
                if inc.hit.kind != CampaignKind::HarmfulContent {
                    return Err(CommandError::NotReferralKind {
                        incident: incident.0,
                        kind: names::campaign_kind(inc.hit.kind).to_string(),
                    });
                }
                if inc.hit.economy != info.economy {
                    return Err(CommandError::NotYourEconomy {
                        what: format!("incident #{}", incident.0),
                        economy: self.scenario.0.economies[inc.hit.economy.index()]
                            .name
                            .clone(),
                        yours: self.scenario.0.economies[info.economy.index()].name.clone(),
                    });
                }
                if self.world.resource::<ChildProtection>().referred(*incident) {
                    return Err(CommandError::AlreadyReferred {
                        incident: incident.0,
                    });
                }
                Some(inc)
            }
            Command::Message { to, text } => {
                check_text(text)?;
                self.recipient_exists(*to)?;
                None
            }
            Command::Decide { decision, option } => {
                self.open_choice(team, *decision, *option)?;
                None
            }
            Command::FireInject { .. } | Command::EditInject { .. } | Command::Broadcast { .. } => {
                return Err(CommandError::FacilitatorOnly {
                    action: command.kind().verb().to_string(),
                });
            }
        };
        Ok(incident.map(|inc| inc.hit.asset))
    }

    /// TLP:RED's named recipients: at least one, each a team of an economy shared with.
    fn named_recipients(
        &self,
        own: EconomyIdx,
        with: &[EconomyIdx],
        teams: &[TeamIdx],
    ) -> Result<(), CommandError> {
        if teams.is_empty() {
            return Err(CommandError::RedWithoutTeams);
        }
        for t in teams {
            let recipient = self.scenario.0.teams.get(t.index()).ok_or_else(|| {
                CommandError::UnknownTarget {
                    what: "team".into(),
                    index: t.0,
                    hint: count_hint("team", self.scenario.0.teams.len()),
                }
            })?;
            if recipient.economy == own || !with.contains(&recipient.economy) {
                return Err(CommandError::RedTeamElsewhere {
                    team: recipient.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// An option of a decision point offered to `team` and not settled yet.
    fn open_choice(
        &self,
        team: TeamIdx,
        decision: DecisionIdx,
        option: u32,
    ) -> Result<(), CommandError> {
        let scenario = &self.scenario.0;
        let (Some(d), Some(state)) = (
            scenario.decisions.get(decision.index()),
            self.world.resource::<DecisionPoints>().get(decision),
        ) else {
            return Err(CommandError::UnknownTarget {
                what: "decision".into(),
                index: decision.0,
                hint: count_hint("decision", scenario.decisions.len()),
            });
        };
        if !d.teams.contains(&team) {
            let names = Names(&*self.scenario.0);
            return Err(CommandError::NotYourDecision {
                decision: d.title.clone(),
                teams: d
                    .teams
                    .iter()
                    .map(|t| names.team(*t))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if state.offered_at.is_none() {
            return Err(CommandError::DecisionNotOffered {
                decision: d.title.clone(),
            });
        }
        if let Some(settled) = state.settled {
            return Err(CommandError::AlreadyDecided {
                decision: d.title.clone(),
                option: d
                    .options
                    .get(settled.option as usize)
                    .map_or_else(String::new, |o| o.label.clone()),
            });
        }
        if d.options.get(option as usize).is_none() {
            return Err(CommandError::UnknownTarget {
                what: "option".into(),
                index: option,
                hint: count_hint("option", d.options.len()),
            });
        }
        Ok(())
    }

    fn require_investigated(
        &self,
        id: IncidentId,
        inc: &IncidentRecordItem,
        action: &str,
    ) -> Result<(), CommandError> {
        if inc.investigated {
            Ok(())
        } else {
            Err(CommandError::NotInvestigated {
                incident: id.0,
                action: action.to_string(),
            })
        }
    }

    fn incident(&self, id: IncidentId) -> Result<IncidentRecordItem<'_, '_>, CommandError> {
        self.incident_ids
            .get(id)
            .and_then(|e| self.incidents.get(e).ok())
            .ok_or_else(|| CommandError::UnknownTarget {
                what: "incident".into(),
                index: id.0,
                hint: format!(
                    "{} incident(s) exist so far; pick one from your incident list",
                    self.incident_ids.len()
                ),
            })
    }

    /// An incident the team's economy knows of (own detection or shared).
    fn known_incident(
        &self,
        team: TeamIdx,
        id: IncidentId,
    ) -> Result<IncidentRecordItem<'_, '_>, CommandError> {
        let inc = self.incident(id)?;
        let economy = self.scenario.0.teams[team.index()].economy;
        if inc.known.by_team(economy, team).is_none() {
            return Err(CommandError::IncidentNotKnown { incident: id.0 });
        }
        Ok(inc)
    }

    /// A known incident on an asset of the team's own economy (and sectors).
    fn own_incident(
        &self,
        team: TeamIdx,
        id: IncidentId,
    ) -> Result<IncidentRecordItem<'_, '_>, CommandError> {
        let inc = self.known_incident(team, id)?;
        self.own_asset(team, inc.hit.asset)?;
        Ok(inc)
    }

    fn own_open_incident(
        &self,
        team: TeamIdx,
        id: IncidentId,
        action: &str,
    ) -> Result<IncidentRecordItem<'_, '_>, CommandError> {
        let inc = self.own_incident(team, id)?;
        if !inc.is_open() {
            return Err(CommandError::IncidentClosed {
                incident: id.0,
                action: action.to_string(),
            });
        }
        Ok(inc)
    }

    /// An asset of the team's economy, in a sector the team answers for.
    fn own_asset(&self, team: TeamIdx, asset: AssetIdx) -> Result<(), CommandError> {
        let a = self.scenario.0.assets.get(asset.index()).ok_or_else(|| {
            CommandError::UnknownTarget {
                what: "asset".into(),
                index: asset.0,
                hint: count_hint("asset", self.scenario.0.assets.len()),
            }
        })?;
        let info = &self.scenario.0.teams[team.index()];
        if a.economy != info.economy {
            return Err(CommandError::NotYourEconomy {
                what: a.name().into_owned(),
                economy: self.scenario.0.economies[a.economy.index()].name.clone(),
                yours: self.scenario.0.economies[info.economy.index()].name.clone(),
            });
        }
        self.sector_answered(team, a.sector, || a.name().into_owned())
    }

    fn own_sector(&self, team: TeamIdx, sector: SectorIdx) -> Result<(), CommandError> {
        let s = self.scenario.0.sectors.get(sector.index()).ok_or_else(|| {
            CommandError::UnknownTarget {
                what: "sector".into(),
                index: sector.0,
                hint: count_hint("sector", self.scenario.0.sectors.len()),
            }
        })?;
        self.sector_answered(team, sector, || format!("sector {}", s.name))
    }

    /// A sector the team answers for; `what` names the thing acted on, for a refusal
    /// only (worded on demand: most commands are accepted).
    fn sector_answered(
        &self,
        team: TeamIdx,
        sector: SectorIdx,
        what: impl FnOnce() -> String,
    ) -> Result<(), CommandError> {
        let info = &self.scenario.0.teams[team.index()];
        if info.sectors.is_empty() || info.sectors.contains(&sector) {
            return Ok(());
        }
        Err(CommandError::NotYourSector {
            what: what(),
            sector: self.sector_name(sector),
            yours: info
                .sectors
                .iter()
                .map(|s| self.sector_name(*s))
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    fn economy_exists(&self, economy: EconomyIdx) -> Result<(), CommandError> {
        if economy.index() < self.scenario.0.economies.len() {
            Ok(())
        } else {
            Err(CommandError::UnknownTarget {
                what: "economy".into(),
                index: economy.0,
                hint: count_hint("economy", self.scenario.0.economies.len()),
            })
        }
    }

    fn recipient_exists(&self, to: Recipient) -> Result<(), CommandError> {
        match to {
            Recipient::Team(t) if t.index() >= self.scenario.0.teams.len() => {
                Err(CommandError::UnknownTarget {
                    what: "team".into(),
                    index: t.0,
                    hint: count_hint("team", self.scenario.0.teams.len()),
                })
            }
            Recipient::Economy(e) => self.economy_exists(e),
            _ => Ok(()),
        }
    }

    fn sector_name(&self, sector: SectorIdx) -> String {
        Names(&*self.scenario.0).sector(sector)
    }
}

/// Text that must not be empty and not too long.
pub fn check_text(text: &str) -> Result<(), CommandError> {
    if text.trim().is_empty() {
        return Err(CommandError::EmptyText);
    }
    check_length(text)
}

fn check_length(text: &str) -> Result<(), CommandError> {
    let len = text.chars().count();
    if len > MAX_TEXT {
        return Err(CommandError::TextTooLong { len, max: MAX_TEXT });
    }
    Ok(())
}

fn count_hint(what: &str, count: usize) -> String {
    if count == 0 {
        format!("the scenario has no {what}")
    } else {
        format!(
            "the scenario has {count} {what}(s), numbered 0 to {}",
            count - 1
        )
    }
}
