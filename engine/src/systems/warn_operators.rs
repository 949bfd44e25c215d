//! Public-private partnership (APEC 2005 action area 4, "public-private partnerships"
//! for critical infrastructure; ITU GCA organizational measures): once a regulator has
//! coordinated the operators of a sector, the economy's CSIRT warns the operator teams
//! answering for that sector whenever the economy learns of an attack on it, found at
//! home or told of by another economy's indicators (a whole-economy label: CLEAR, GREEN,
//! AMBER). Without the partnership operators learn only what their own screens show.
//! The warning is a message from the CSIRT (from the coordinating regulator where the
//! economy has no CSIRT), once per economy, sector and campaign each tick. When the
//! economy holds the campaign's indicators (its own investigation, or shared with it),
//! the warning carries them and the operators sweep their systems: every open intrusion
//! of the campaign not yet found on the sector's assets there is found at once (by those
//! indicators).

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId};
use crate::detection::FoundBy;
use crate::names::{self, Names};
use crate::scenario::model::{
    AssetIdx, CampaignKind, EconomyIdx, Role, Scenario, SectorIdx, TeamIdx,
};
use crate::world::{
    Assets, Assignment, Clock, Delivered, DeliveryId, Detected, Done, Hit, Id, Ids, Indicators,
    KnownBy, Message, MessageId, Open, ScenarioData, Shipment, in_id_order, spawn_with_id,
};

/// What the economy learned this tick of an attack on a sector.
struct News {
    economy: EconomyIdx,
    sector: SectorIdx,
    campaign: u32,
    kind: CampaignKind,
    asset: AssetIdx,
    /// `None`: found at home; `Some`: the economy whose indicators told of it.
    from: Option<EconomyIdx>,
}

/// The sectors each economy's regulators have coordinated with their operators: the
/// coordinating regulator, by (economy, sector), that of the done task with the lowest
/// id. The done tasks come in any order: the lowest id is kept as they pass, rather than
/// sorting every done task of the exercise at every tick to pick the few coordinations.
pub fn partnerships<'a>(
    scenario: &Scenario,
    done: impl Iterator<Item = (TaskId, &'a Assignment)>,
) -> BTreeMap<(EconomyIdx, SectorIdx), TeamIdx> {
    let mut first: BTreeMap<(EconomyIdx, SectorIdx), (TaskId, TeamIdx)> = BTreeMap::new();
    for (id, task) in done {
        if let Command::CoordinateOperators { sector } = task.command
            && let Some(team) = scenario.teams.get(task.team.index())
        {
            let kept = first
                .entry((team.economy, sector))
                .or_insert((id, task.team));
            if id < kept.0 {
                *kept = (id, task.team);
            }
        }
    }
    first
        .into_iter()
        .map(|(key, (_, team))| (key, team))
        .collect()
}

/// Sends this tick's partnership warnings, in incident then shipment id order.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn warn_operators(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    tasks: Query<(&Id<TaskId>, &Assignment), With<Done>>,
    found: Query<(&Id<IncidentId>, &Hit, &Detected)>,
    arrived: Query<(&Id<DeliveryId>, &Shipment), With<Delivered>>,
    incident_ids: Res<Ids<IncidentId>>,
    hits: Query<&Hit>,
    economy_ids: Res<Ids<EconomyIdx>>,
    indicators: Query<&Indicators>,
    mut unfound: Query<(Entity, &Id<IncidentId>, &Hit, &mut KnownBy), (Without<Detected>, Open)>,
    mut message_ids: ResMut<Ids<MessageId>>,
    mut commands: Commands,
) {
    let scenario: &Scenario = &scenario.0;
    let now = clock.tick;
    let partners = partnerships(scenario, tasks.iter().map(|(id, t)| (id.0, t)));
    if partners.is_empty() {
        return;
    }
    let sector_of = |asset: AssetIdx| SectorIdx(assets.sector[asset.index()]);
    let mut news = Vec::new();
    let seen = found
        .iter()
        .filter(|(_, _, d)| d.0 == now)
        .map(|(id, hit, _)| (id.0, hit));
    for (_, hit) in in_id_order(seen) {
        news.push(News {
            economy: hit.economy,
            sector: sector_of(hit.asset),
            campaign: hit.campaign.0,
            kind: hit.kind,
            asset: hit.asset,
            from: None,
        });
    }
    let told = arrived
        .iter()
        .filter(|(_, s)| s.arrives_at == now && s.team.is_none())
        .map(|(id, s)| (id.0, s));
    for (_, shipment) in in_id_order(told) {
        let Some(Ok(hit)) = incident_ids.get(shipment.incident).map(|e| hits.get(e)) else {
            continue;
        };
        news.push(News {
            economy: shipment.to,
            sector: sector_of(hit.asset),
            campaign: hit.campaign.0,
            kind: hit.kind,
            asset: hit.asset,
            from: Some(shipment.from),
        });
    }
    let named = Names(scenario);
    let mut warned = BTreeSet::new();
    let mut sweeps = Vec::new();
    for item in news {
        let Some(&regulator) = partners.get(&(item.economy, item.sector)) else {
            continue;
        };
        if !warned.insert((item.economy, item.sector, item.campaign)) {
            continue;
        }
        let held = economy_ids
            .get(item.economy)
            .and_then(|e| indicators.get(e).ok())
            .is_some_and(|i| i.0.get(item.campaign as usize).copied().unwrap_or(false));
        if held {
            let by = match item.from {
                None => FoundBy::OwnIndicators,
                Some(from) => FoundBy::SharedIndicators { from },
            };
            sweeps.push((item.economy, item.sector, item.campaign, by));
        }
        let sender = scenario
            .teams
            .iter()
            .position(|t| t.economy == item.economy && t.role == Role::Csirt)
            .map_or(regulator, |t| TeamIdx(t as u32));
        let whence = match item.from {
            None => format!("found at home on {}", named.asset(item.asset)),
            Some(from) => format!("reported by {}", named.economy(from)),
        };
        let text = format!(
            "Partnership warning ({}): a {} incident, {whence}. Check your systems for it.",
            named.sector(item.sector),
            names::campaign_kind(item.kind),
        );
        for (t, team) in scenario.teams.iter().enumerate() {
            if team.economy == item.economy
                && team.role == Role::Operator
                && (team.sectors.is_empty() || team.sectors.contains(&item.sector))
            {
                spawn_with_id(
                    &mut commands,
                    &mut message_ids,
                    Message {
                        tick: now,
                        from: Actor::Team(sender),
                        to: Recipient::Team(TeamIdx(t as u32)),
                        text: text.clone(),
                    },
                );
            }
        }
    }
    if sweeps.is_empty() {
        return;
    }
    // Only the swept intrusions are put in id order, not every open one.
    let swept = unfound.iter_mut().filter_map(|(entity, id, hit, known)| {
        let &(_, _, _, by) = sweeps.iter().find(|(e, s, c, _)| {
            *e == hit.economy && *s == sector_of(hit.asset) && *c == hit.campaign.0
        })?;
        Some((id.0, (entity, hit, known, by)))
    });
    for (_, (entity, hit, mut known, by)) in in_id_order(swept) {
        commands.entity(entity).insert((Detected(now), by));
        known.found_at_home(hit.economy, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Tlp;
    use crate::systems::testing::{incident, run, task, world_at};
    use crate::view::Stage;
    use crate::world::spawn_now;

    /// The Weak regulator (team 5) has coordinated its finance operators.
    fn partnered(world: &mut World) {
        let id = task(
            world,
            5,
            Command::CoordinateOperators {
                sector: SectorIdx(2),
            },
            1,
            2,
        );
        let entity = world.resource::<Ids<TaskId>>().get(id);
        if let Some(entity) = entity {
            world.entity_mut(entity).insert(Done {
                outcome: "1 private operator asset(s) coordinated".into(),
            });
        }
    }

    fn detected(world: &mut World, asset: u32, campaign: u32) -> IncidentId {
        let id = incident(world, asset, campaign, Stage::Foothold, 3);
        if let Some(entity) = world.resource::<Ids<IncidentId>>().get(id) {
            world.entity_mut(entity).insert(Detected(6));
        }
        id
    }

    fn warnings(world: &mut World) -> Vec<Message> {
        let mut all: Vec<(MessageId, Message)> = world
            .query::<(&Id<MessageId>, &Message)>()
            .iter(world)
            .map(|(id, m)| (id.0, m.clone()))
            .collect();
        all.sort_unstable_by_key(|(id, _)| *id);
        all.into_iter().map(|(_, m)| m).collect()
    }

    #[test]
    fn a_coordinated_sectors_operators_are_warned_of_attacks_found_at_home_or_reported() {
        let mut world = world_at(6);
        partnered(&mut world);
        // Weak's bank (finance, coordinated): phishing found at home; Weak's grid
        // (energy, not coordinated) and Strong's bank (no partnership there): nothing.
        detected(&mut world, 5, 1);
        detected(&mut world, 3, 0);
        let abroad = detected(&mut world, 2, 0);
        // Strong's ransomware indicators reach Weak this tick (TLP:GREEN), and a RED copy
        // for Weak's police only.
        for (team, tlp) in [(None, Tlp::Green), (Some(TeamIdx(7)), Tlp::Red)] {
            let delivery: DeliveryId = spawn_now(
                &mut world,
                Shipment {
                    arrives_at: 6,
                    incident: abroad,
                    from: EconomyIdx(0),
                    to: EconomyIdx(1),
                    team,
                    tlp,
                },
            );
            if let Some(entity) = world.resource::<Ids<DeliveryId>>().get(delivery) {
                world.entity_mut(entity).insert(Delivered);
            }
        }
        run(&mut world, warn_operators);
        let sent = warnings(&mut world);
        let to_weak_operator: Vec<&Message> = sent
            .iter()
            .filter(|m| m.to == Recipient::Team(TeamIdx(6)))
            .collect();
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(to_weak_operator.len(), 2, "{sent:?}");
        assert!(
            sent.iter().all(|m| m.from == Actor::Team(TeamIdx(4))),
            "from Weak's CSIRT"
        );
        assert!(sent[0].text.contains("phishing") && sent[0].text.contains("found at home"));
        assert!(sent[1].text.contains("ransomware") && sent[1].text.contains("reported by"));
    }

    /// The regulator of the lowest done task id coordinates, in whatever order the done
    /// tasks are visited.
    #[test]
    fn the_partnership_is_the_lowest_task_ids_whatever_the_visiting_order() {
        let world = world_at(6);
        let scenario = &world.resource::<ScenarioData>().0;
        let coordinate = |team: u32| Assignment {
            team: TeamIdx(team),
            command: Command::CoordinateOperators {
                sector: SectorIdx(2),
            },
            analysts: 1,
            started_at: 1,
            done_at: 2,
        };
        // Two teams of Weak (the key is the economy and sector, not the role).
        let (late, early) = (coordinate(5), coordinate(6));
        let economy = scenario.teams[5].economy;
        assert_eq!(scenario.teams[6].economy, economy);
        for order in [
            vec![(TaskId(9), &late), (TaskId(4), &early)],
            vec![(TaskId(4), &early), (TaskId(9), &late)],
        ] {
            let partners = partnerships(scenario, order.into_iter());
            assert_eq!(
                partners.get(&(economy, SectorIdx(2))),
                Some(&TeamIdx(6)),
                "the lowest task id"
            );
        }
    }

    #[test]
    fn without_coordination_no_operator_is_warned() {
        let mut world = world_at(6);
        detected(&mut world, 5, 1);
        run(&mut world, warn_operators);
        assert!(warnings(&mut world).is_empty());
    }

    /// Strong's phishing indicators reach Weak, whose finance operators are partnered:
    /// the warning carries them and the undetected phishing intrusion on Weak's bank is
    /// found at once, by the shared indicators; without the indicators held, or without
    /// the partnership, it stays hidden.
    #[test]
    fn warned_operators_holding_the_indicators_find_the_campaigns_hidden_intrusions() {
        let found = |partnership: bool, held: bool| {
            let mut world = world_at(6);
            if partnership {
                partnered(&mut world);
            }
            let abroad = incident(&mut world, 2, 1, Stage::Impact, 2);
            let hidden = incident(&mut world, 5, 1, Stage::Foothold, 4);
            let economy = crate::systems::testing::entity(&world, EconomyIdx(1));
            if let Some(mut indicators) = world.get_mut::<Indicators>(economy) {
                indicators.0[1] = held;
            }
            let delivery: DeliveryId = spawn_now(
                &mut world,
                Shipment {
                    arrives_at: 6,
                    incident: abroad,
                    from: EconomyIdx(0),
                    to: EconomyIdx(1),
                    team: None,
                    tlp: Tlp::Green,
                },
            );
            if let Some(entity) = world.resource::<Ids<DeliveryId>>().get(delivery) {
                world.entity_mut(entity).insert(Delivered);
            }
            run(&mut world, warn_operators);
            let entity = crate::systems::testing::entity(&world, hidden);
            (
                world.get::<Detected>(entity).copied(),
                world.get::<FoundBy>(entity).copied(),
            )
        };
        assert_eq!(
            found(true, true),
            (
                Some(Detected(6)),
                Some(FoundBy::SharedIndicators {
                    from: EconomyIdx(0)
                })
            )
        );
        assert_eq!(found(true, false), (None, None));
        assert_eq!(found(false, true), (None, None));
    }
}
