//! Building a viewer's [`View`]: its own economy fully, others through what is public
//! (trust, loss and service figures, history) or shared with it; the facilitator sees
//! everything, including pending injects and every team's tasks.

use bevy_ecs::world::World;

use crate::command::{Actor, Command, Recipient, Tlp};
use crate::metrics::Snapshot;
use crate::scenario::model::{
    ActionCondition, Audience, CampaignIdx, Condition, EconomyIdx, IncidentState, LegalOutcome,
    ObjectiveScope, Role, Scenario, SectorIdx, TeamIdx, Trigger,
};
use crate::sim::rules::assistance_delay;
use crate::view::{
    AnalystsView, AssetView, AssistanceRequestView, CampaignView, DependencyView, EconomyPoint,
    EconomyView, HistoryWindow, IncidentView, InjectView, MessageView, ObjectiveView, SectorInfo,
    Severity, Source, Stage, TaskView, TeamInfo, View, Visibility,
};
use crate::world::{
    Assets, AssistanceRequests, Campaigns, Clock, Economies, History, Incident, Incidents, Injects,
    Messages, Progress, Tasks, Teams,
};

/// Finished tasks stay in a team's list this many ticks.
const FINISHED_TASKS_SHOWN_FOR: u32 = 24;

/// Who is looking: the facilitator, or a team of an economy with a role.
#[derive(Clone, Copy)]
struct Viewer {
    actor: Actor,
    team: Option<TeamIdx>,
    economy: Option<EconomyIdx>,
    role: Option<Role>,
}

impl Viewer {
    fn sees_all(&self) -> bool {
        self.team.is_none()
    }
    fn owns(&self, economy: EconomyIdx) -> bool {
        self.sees_all() || self.economy == Some(economy)
    }
}

/// The view of `actor` (an unknown team index sees what the facilitator's public
/// directory shows: nothing of any economy beyond public figures).
pub fn build(world: &World, scenario: &Scenario, actor: Actor, window: HistoryWindow) -> View {
    let viewer = match actor {
        Actor::Facilitator => Viewer {
            actor,
            team: None,
            economy: None,
            role: None,
        },
        Actor::Team(t) => {
            let team = scenario.teams.get(t.index());
            Viewer {
                actor,
                team: Some(t),
                economy: team.map(|x| x.economy),
                role: team.map(|x| x.role),
            }
        }
    };
    let clock = world.resource::<Clock>();
    let snapshot = Snapshot {
        scenario,
        clock,
        assets: world.resource::<Assets>(),
        economies: world.resource::<Economies>(),
        incidents: world.resource::<Incidents>(),
        injects: world.resource::<Injects>(),
        progress: world.resource::<Progress>(),
        outcomes: world.resource::<crate::outcomes::Outcomes>(),
        watches: world.resource::<crate::outcomes::Watches>(),
    };
    View {
        viewer: actor,
        title: scenario.meta.title.clone(),
        briefing: scenario.meta.briefing.clone(),
        tick: clock.tick,
        duration_ticks: scenario.meta.duration_ticks,
        tick_minutes: scenario.meta.tick_minutes,
        time_label: time_label(scenario, clock.tick),
        my_team: viewer.team,
        teams: scenario
            .teams
            .iter()
            .enumerate()
            .map(|(i, t)| TeamInfo {
                idx: TeamIdx(i as u32),
                id: t.id.clone(),
                name: t.name.clone(),
                role: t.role,
                economy: t.economy,
                sectors: t.sectors.clone(),
            })
            .collect(),
        sectors: scenario
            .sectors
            .iter()
            .enumerate()
            .map(|(i, s)| SectorInfo {
                idx: SectorIdx(i as u32),
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect(),
        economies: economies(world, scenario, viewer, &snapshot, window),
        assets: assets(world, scenario, viewer),
        incidents: incidents(world, scenario, viewer),
        campaigns: campaigns(world, scenario, viewer),
        tasks: tasks(world, scenario, viewer, clock.tick),
        analysts: analysts(world, scenario, viewer, clock.tick),
        messages: messages(world, scenario, viewer),
        injects: injects(world, scenario, viewer),
        objectives: objectives(scenario, viewer, &snapshot),
        assistance_requests: world
            .resource::<AssistanceRequests>()
            .0
            .iter()
            .filter(|r| r.provided < r.analysts && viewer.owns(r.to))
            .map(|r| AssistanceRequestView {
                from_team: r.from_team,
                to: r.to,
                analysts: r.analysts,
                provided: r.provided,
                at: r.at,
            })
            .collect(),
    }
}

/// `Day N HH:MM`, counting from the start label's time of day when it ends in `HH:MM`.
pub fn time_label(scenario: &Scenario, tick: u32) -> String {
    let start = scenario
        .meta
        .start_label
        .as_deref()
        .and_then(start_minutes)
        .unwrap_or(0);
    let minutes = u64::from(start) + u64::from(tick) * u64::from(scenario.meta.tick_minutes);
    let day = minutes / 1440 + 1;
    let in_day = minutes % 1440;
    format!("Day {day} {:02}:{:02}", in_day / 60, in_day % 60)
}

/// Minutes after midnight of a label ending in `HH:MM`.
fn start_minutes(label: &str) -> Option<u32> {
    let time = label.trim().rsplit(' ').next()?;
    let (h, m) = time.split_once(':')?;
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn economies(
    world: &World,
    scenario: &Scenario,
    viewer: Viewer,
    snapshot: &Snapshot,
    window: HistoryWindow,
) -> Vec<EconomyView> {
    let states = world.resource::<Economies>();
    let history = world.resource::<History>();
    scenario
        .economies
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let idx = EconomyIdx(i as u32);
            let state = &states.0[i];
            let full = viewer.owns(idx);
            EconomyView {
                idx,
                id: e.id.clone(),
                name: e.name.clone(),
                visibility: if full {
                    Visibility::Full
                } else {
                    Visibility::Public
                },
                trust: state.trust,
                loss: state.loss,
                service: state.service,
                awareness: full.then_some(state.awareness),
                readiness: full.then_some(state.readiness),
                sector_service: if full {
                    sector_service(scenario, snapshot, idx)
                } else {
                    Vec::new()
                },
                history: window_of(&history.0[i], window),
            }
        })
        .collect()
}

/// The points of one economy's history inside `window` (points are in tick order).
fn window_of(points: &[EconomyPoint], window: HistoryWindow) -> Vec<EconomyPoint> {
    points[points.partition_point(|p| !window.includes(p.tick))..].to_vec()
}

fn sector_service(
    scenario: &Scenario,
    snapshot: &Snapshot,
    economy: EconomyIdx,
) -> Vec<Option<f64>> {
    let assets = snapshot.assets;
    let sectors = scenario.sectors.len();
    let mut sums = vec![0.0; sectors];
    let mut counts = vec![0usize; sectors];
    for i in 0..assets.len() {
        if assets.economy[i] == economy.0 {
            let s = assets.sector[i] as usize;
            sums[s] += assets.service(i);
            counts[s] += 1;
        }
    }
    sums.iter()
        .zip(&counts)
        .map(|(sum, &n)| (n > 0).then(|| sum / n as f64))
        .collect()
}

fn assets(world: &World, scenario: &Scenario, viewer: Viewer) -> Vec<AssetView> {
    let state = world.resource::<Assets>();
    let mut shown = vec![false; scenario.assets.len()];
    for (i, asset) in scenario.assets.iter().enumerate() {
        if viewer.owns(asset.economy) {
            shown[i] = true;
            for d in &asset.depends_on {
                shown[d.on.index()] = true;
            }
        }
    }
    scenario
        .assets
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i])
        .map(|(i, a)| {
            let own = viewer.owns(a.economy);
            AssetView {
                idx: crate::scenario::model::AssetIdx(i as u32),
                id: a.id.clone(),
                name: a.name.clone(),
                economy: a.economy,
                sector: a.sector,
                operator: a.operator,
                criticality: a.criticality,
                people_served: a.people_served,
                service: state.service(i),
                posture: own.then_some(state.posture[i]),
                depends_on: a
                    .depends_on
                    .iter()
                    .map(|d| DependencyView {
                        on: d.on,
                        weight: d.weight,
                        kind: d.kind,
                        cross_border: scenario.assets[d.on.index()].economy != a.economy,
                    })
                    .collect(),
                damage: own.then_some(state.damage[i]),
            }
        })
        .collect()
}

/// How the viewer knows an incident, if it does.
fn knowledge(incident: &Incident, viewer: Viewer) -> Option<Source> {
    if viewer.sees_all() {
        return Some(Source::Own);
    }
    let economy = viewer.economy?;
    let known = incident.known_by(economy)?;
    match known.source {
        // TLP:RED goes to the named recipients: the receiving economy's CSIRT.
        Source::SharedBy { tlp: Tlp::Red, .. } if viewer.role != Some(Role::Csirt) => None,
        source => Some(source),
    }
}

fn severity(criticality: u8, stage: Stage) -> Severity {
    let score = u32::from(criticality) + u32::from(stage == Stage::Impact);
    match score {
        0..=2 => Severity::Low,
        3 => Severity::Medium,
        4 => Severity::High,
        _ => Severity::Critical,
    }
}

fn campaign_known(world: &World, viewer: Viewer, campaign: CampaignIdx) -> bool {
    viewer.sees_all()
        || viewer.economy.is_some_and(|e| {
            world.resource::<Economies>().0[e.index()].knows_campaign[campaign.index()]
        })
}

/// Whether the viewer's economy traced a campaign to its origin: it investigated one of
/// its incidents itself (shared indicators tell where it is hosted, not who runs it).
fn traced(world: &World, viewer: Viewer, campaign: CampaignIdx) -> bool {
    viewer.sees_all()
        || viewer.economy.is_some_and(|e| {
            world
                .resource::<Incidents>()
                .0
                .iter()
                .any(|i| i.campaign == campaign && i.economy == e && i.investigated)
        })
}

fn incidents(world: &World, scenario: &Scenario, viewer: Viewer) -> Vec<IncidentView> {
    world
        .resource::<Incidents>()
        .0
        .iter()
        .enumerate()
        .filter_map(|(id, incident)| {
            let source = knowledge(incident, viewer)?;
            let identified = campaign_known(world, viewer, incident.campaign);
            let detailed =
                viewer.sees_all() || incident.investigated && viewer.owns(incident.economy);
            Some(IncidentView {
                id: crate::command::IncidentId(id as u32),
                asset: incident.asset,
                economy: incident.economy,
                campaign: identified.then_some(incident.campaign),
                kind: (identified || incident.hazard).then_some(incident.kind),
                stage: incident.stage,
                severity: severity(
                    scenario.assets[incident.asset.index()].criticality,
                    incident.stage,
                ),
                source,
                started_at: detailed.then_some(incident.started_at),
                detected_at: incident.detected_at,
                contained_at: incident.contained_at,
                recovered_at: incident.recovered_at,
                investigated: incident.investigated,
            })
        })
        .collect()
}

fn campaigns(world: &World, scenario: &Scenario, viewer: Viewer) -> Vec<CampaignView> {
    let states = world.resource::<Campaigns>();
    scenario
        .campaigns
        .iter()
        .enumerate()
        .filter(|(i, _)| campaign_known(world, viewer, CampaignIdx(*i as u32)))
        .map(|(i, c)| CampaignView {
            idx: CampaignIdx(i as u32),
            id: c.id.clone(),
            name: c.name.clone(),
            kind: c.kind,
            actor: scenario.actors[c.actor.index()].name.clone(),
            active: viewer.sees_all() && states.0[i].active(),
            origin: c
                .origin
                .filter(|_| traced(world, viewer, CampaignIdx(i as u32))),
            hosting: c.hosting.clone(),
            taken_down: states.0[i].taken_down.clone(),
        })
        .collect()
}

fn tasks(world: &World, scenario: &Scenario, viewer: Viewer, now: u32) -> Vec<TaskView> {
    world
        .resource::<Tasks>()
        .0
        .iter()
        .filter(|t| viewer.sees_all() || viewer.team == Some(t.team))
        .filter(|t| !t.finished || t.done_at + FINISHED_TASKS_SHOWN_FOR >= now)
        .map(|t| {
            let span = t.done_at.saturating_sub(t.started_at).max(1);
            TaskView {
                id: t.id,
                team: t.team,
                label: t.command.label().to_string(),
                target: task_target(world, scenario, &t.command),
                analysts: t.analysts,
                started_at: t.started_at,
                done_at: t.done_at,
                progress: if t.finished {
                    1.0
                } else {
                    (f64::from(now.saturating_sub(t.started_at)) / f64::from(span)).min(1.0)
                },
                finished: t.finished,
                command: t.command.clone(),
                outcome: t.outcome.clone(),
            }
        })
        .collect()
}

/// What a task acts on, in words.
fn task_target(world: &World, scenario: &Scenario, command: &crate::command::Command) -> String {
    use crate::command::Command::*;
    let asset_name = |a: usize| {
        scenario
            .assets
            .get(a)
            .map_or("?".to_string(), |x| x.name.clone())
    };
    let incident = |id: crate::command::IncidentId| {
        world
            .resource::<Incidents>()
            .get(id)
            .map_or(format!("#{}", id.0), |i| {
                format!("#{} on {}", id.0, asset_name(i.asset.index()))
            })
    };
    let economy = |e: EconomyIdx| {
        scenario
            .economies
            .get(e.index())
            .map_or("?".to_string(), |x| x.name.clone())
    };
    let sector = |s: SectorIdx| {
        scenario
            .sectors
            .get(s.index())
            .map_or("?".to_string(), |x| x.name.clone())
    };
    match command {
        Investigate { incident: i }
        | Contain { incident: i }
        | LegalAction { incident: i }
        | Takedown { incident: i } => incident(*i),
        Restore { asset } => asset_name(asset.index()),
        HardenSector { sector: s } | CoordinateOperators { sector: s } => sector(*s),
        AwarenessCampaign => "the public".into(),
        ShareIndicators {
            incident: i, with, ..
        } => format!(
            "{} to {}",
            incident(*i),
            with.iter()
                .map(|e| economy(*e))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        RequestAssistance { from, analysts } => format!("{analysts} from {}", economy(*from)),
        ProvideAssistance { to, analysts } => format!(
            "{analysts} to {}",
            scenario
                .teams
                .get(to.index())
                .map_or("?", |t| t.name.as_str())
        ),
        MutualLegalAssistance { incident: i, to } => {
            format!("{} to {}", incident(*i), economy(*to))
        }
        Message { .. } | FireInject { .. } | EditInject { .. } | Broadcast { .. } => String::new(),
    }
}

fn analysts(world: &World, scenario: &Scenario, viewer: Viewer, now: u32) -> AnalystsView {
    let Some(team) = viewer.team else {
        return AnalystsView::default();
    };
    let Some(state) = world.resource::<Teams>().0.get(team.index()) else {
        return AnalystsView::default();
    };
    let incoming = world
        .resource::<Tasks>()
        .0
        .iter()
        .filter(|task| !task.finished)
        .filter_map(|task| match task.command {
            Command::ProvideAssistance { to, analysts } if to == team => {
                let lender = scenario.teams.get(task.team.index())?.economy;
                let borrower = scenario.teams.get(to.index())?.economy;
                let arrives = task.started_at + assistance_delay(scenario, lender, borrower);
                (now < arrives).then_some(analysts)
            }
            _ => None,
        })
        .sum();
    AnalystsView {
        total: state.analysts + state.borrowed,
        busy: state.busy + state.lent,
        lent: state.lent,
        borrowed: state.borrowed,
        incoming,
    }
}

fn messages(world: &World, scenario: &Scenario, viewer: Viewer) -> Vec<MessageView> {
    world
        .resource::<Messages>()
        .0
        .iter()
        .filter(|m| {
            viewer.sees_all()
                || m.from == viewer.actor
                || match m.to {
                    Recipient::All => true,
                    Recipient::Team(t) => viewer.team == Some(t),
                    Recipient::Economy(e) => viewer.economy == Some(e),
                    Recipient::Facilitator => false,
                }
        })
        .map(|m| MessageView {
            tick: m.tick,
            from: m.from,
            to: m.to,
            text: m.text.clone(),
        })
        .filter(|_| !scenario.teams.is_empty() || viewer.sees_all())
        .collect()
}

fn injects(world: &World, scenario: &Scenario, viewer: Viewer) -> Vec<InjectView> {
    let states = world.resource::<Injects>();
    let mut shown: Vec<InjectView> = scenario
        .injects
        .iter()
        .enumerate()
        .filter(|(i, inject)| {
            viewer.sees_all()
                || states.0[*i].fired_at.is_some()
                    && match &inject.audience {
                        Audience::All => true,
                        Audience::Teams(teams) => viewer.team.is_some_and(|t| teams.contains(&t)),
                        Audience::Facilitator => false,
                    }
        })
        .map(|(i, inject)| InjectView {
            idx: crate::scenario::model::InjectIdx(i as u32),
            fired_at: states.0[i].fired_at,
            headline: states.0[i].headline.clone(),
            text: states.0[i].text.clone(),
            trigger: if viewer.sees_all() {
                trigger_words(scenario, &inject.trigger)
            } else {
                String::new()
            },
        })
        .collect();
    // Oldest first: fired ones by firing tick, then pending ones in scenario order.
    shown.sort_by_key(|i| (i.fired_at.is_none(), i.fired_at, i.idx));
    shown
}

fn trigger_words(scenario: &Scenario, trigger: &Trigger) -> String {
    match trigger {
        Trigger::Manual => "manual".into(),
        Trigger::At(t) => format!("at tick {t}"),
        Trigger::When(condition) => format!("when {}", condition_words(scenario, condition)),
        Trigger::After { inject, delay } => format!(
            "{delay} tick(s) after {}",
            scenario
                .injects
                .get(inject.index())
                .map_or("?", |i| i.id.as_str())
        ),
    }
}

fn condition_words(scenario: &Scenario, condition: &Condition) -> String {
    let campaign_id = |c: CampaignIdx| {
        scenario
            .campaigns
            .get(c.index())
            .map_or("?", |x| x.id.as_str())
            .to_string()
    };
    let economy = |e: &EconomyIdx| {
        scenario
            .economies
            .get(e.index())
            .map_or("?", |x| x.id.as_str())
            .to_string()
    };
    match condition {
        Condition::TickAtLeast(t) => format!("tick >= {t}"),
        Condition::ServiceBelow { level, .. } => format!("service below {level}"),
        Condition::TrustBelow { economy: e, value } => {
            format!("trust in {} below {value}", economy(e))
        }
        Condition::LossAbove { economy: e, value } => format!(
            "loss of {} above {value}",
            e.as_ref().map_or("the region".to_string(), economy)
        ),
        Condition::Incidents { count, .. } => format!("{count} incident(s)"),
        Condition::Reached {
            state,
            campaign,
            economy: e,
            count,
            ..
        } => {
            let state = match state {
                IncidentState::Detected => "detected",
                IncidentState::Investigated => "investigated",
                IncidentState::Contained => "contained",
                IncidentState::Recovered => "recovered",
            };
            let of = campaign.map_or(String::new(), |c| format!(" of {}", campaign_id(c)));
            let r#in = e
                .as_ref()
                .map_or(String::new(), |e| format!(" in {}", economy(e)));
            format!("{count} incident(s){of}{in} {state}")
        }
        Condition::Action(action) => action_words(scenario, action),
        Condition::After {
            delay, condition, ..
        } => format!(
            "{delay} tick(s) after ({})",
            condition_words(scenario, condition)
        ),
        Condition::InjectFired(i) => format!(
            "{} fired",
            scenario
                .injects
                .get(i.index())
                .map_or("?", |x| x.id.as_str())
        ),
        Condition::All(all) => join_conditions(scenario, all, " and "),
        Condition::Any(any) => join_conditions(scenario, any, " or "),
        Condition::Not(inner) => format!("not ({})", condition_words(scenario, inner)),
    }
}

/// A condition on players' actions in words, for the facilitator's inject list.
fn action_words(scenario: &Scenario, action: &ActionCondition) -> String {
    let economy = |e: Option<EconomyIdx>| {
        e.and_then(|e| scenario.economies.get(e.index()))
            .map_or("any economy", |x| x.id.as_str())
    };
    let campaign = |c: Option<CampaignIdx>| {
        c.and_then(|c| scenario.campaigns.get(c.index()))
            .map_or("any campaign", |x| x.id.as_str())
    };
    let outcome = |o: LegalOutcome| match o {
        LegalOutcome::Requested => "requested",
        LegalOutcome::Succeeded => "succeeded",
        LegalOutcome::Failed => "failed",
    };
    match *action {
        ActionCondition::Shared {
            campaign: c,
            from,
            to,
            ..
        } => format!(
            "indicators of {} shared by {} with {}",
            campaign(c),
            economy(from),
            economy(to)
        ),
        ActionCondition::Notified {
            campaign: c,
            from,
            to,
        } => format!(
            "{} notified {} of {}",
            economy(from),
            economy(to),
            campaign(c)
        ),
        ActionCondition::AssistanceRequested { from, to } => {
            format!("assistance asked by {} of {}", economy(from), economy(to))
        }
        ActionCondition::AssistanceDelivered { from, to, analysts } => format!(
            "{analysts} analyst(s) lent by {} arrived in {}",
            economy(from),
            economy(to)
        ),
        ActionCondition::LegalAction {
            campaign: c,
            by,
            outcome: o,
        } => format!(
            "legal action by {} against {} {}",
            economy(by),
            campaign(c),
            outcome(o)
        ),
        ActionCondition::Mla {
            campaign: c,
            from,
            to,
            outcome: o,
        } => format!(
            "legal assistance from {} to {} against {} {}",
            economy(from),
            economy(to),
            campaign(c),
            outcome(o)
        ),
        ActionCondition::Takedown { campaign: c, host } => {
            format!("{} taken down in {}", campaign(c), economy(host))
        }
        ActionCondition::Decision {
            decision, option, ..
        } => {
            let d = scenario.decisions.get(decision.index());
            let option = option
                .and_then(|o| d.and_then(|d| d.options.get(o as usize)))
                .map_or("any option", |o| o.id.as_str());
            format!("{} decided: {option}", d.map_or("?", |d| d.id.as_str()))
        }
    }
}

fn join_conditions(scenario: &Scenario, list: &[Condition], sep: &str) -> String {
    list.iter()
        .map(|c| format!("({})", condition_words(scenario, c)))
        .collect::<Vec<_>>()
        .join(sep)
}

fn objectives(scenario: &Scenario, viewer: Viewer, snapshot: &Snapshot) -> Vec<ObjectiveView> {
    scenario
        .objectives
        .iter()
        .enumerate()
        .filter(|(_, o)| match o.scope {
            ObjectiveScope::Region => true,
            ObjectiveScope::Team(t) => viewer.sees_all() || viewer.team == Some(t),
        })
        .map(|(i, o)| ObjectiveView {
            id: o.id.clone(),
            description: o.description.clone(),
            scope: o.scope,
            weight: o.weight,
            score: snapshot.goal_score(i, &o.goal),
        })
        .collect()
}
