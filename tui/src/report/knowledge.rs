//! Who knew what, when: for every incident and campaign, when each economy learned of it
//! and how (its own detection, indicators shared by another economy under a TLP label,
//! or a partner CSIRT's notification). A hot wash asks it of every incident ("when did
//! you know, and from whom?": the discussion questions of CISA's tabletop exercise
//! packages; HSEEP 2020's evaluation of information sharing; APEC 2005 strategy, action
//! area 7 on cooperation among economies). The engine records each learning as it
//! happens ([`cyberdrill_engine::Simulation::knowledge`]); the report lays it out as
//! tables ([`super::tables`]) and a swimlane chart ([`super::swimlanes`]).

use std::collections::BTreeMap;

use cyberdrill_engine::names::{Names, tlp_name};
use cyberdrill_engine::outcomes::{Achieved, Outcome};
use cyberdrill_engine::scenario::model::{CampaignIdx, EconomyIdx};
use cyberdrill_engine::view::{IncidentView, Source};

use super::ReportInput;

/// A partner CSIRT telling an economy that assets there are compromised by a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notification {
    pub tick: u32,
    pub campaign: CampaignIdx,
    pub from: EconomyIdx,
    pub to: EconomyIdx,
}

/// The notifications among the outcomes of players' actions, oldest first.
pub fn notifications(outcomes: &[Outcome]) -> Vec<Notification> {
    outcomes
        .iter()
        .filter_map(|outcome| match outcome.what {
            Achieved::Notified { campaign, from, to } => Some(Notification {
                tick: outcome.tick,
                campaign,
                from,
                to,
            }),
            _ => None,
        })
        .collect()
}

/// One economy learning of one incident.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Learning<'a> {
    pub incident: &'a IncidentView,
    /// The economy that learned.
    pub economy: EconomyIdx,
    /// The tick it learned at.
    pub at: u32,
    pub source: Source,
}

impl Learning<'_> {
    /// Ticks from the start of the compromise to this learning (`None` when the start
    /// is unknown).
    pub fn after_start(&self) -> Option<u32> {
        self.incident
            .started_at
            .map(|start| self.at.saturating_sub(start))
    }
}

/// How an economy learned of something, in words: `own detection`, `shared by Sereno
/// (TLP:AMBER)`.
pub fn how(input: &ReportInput, source: Source) -> String {
    match source {
        Source::Own => "own detection".to_string(),
        Source::SharedBy { economy, tlp } => format!(
            "shared by {} ({})",
            Names(&input.view).economy(economy),
            tlp_name(tlp)
        ),
    }
}

/// Every learning of every incident, in incident order, then in the order the economies
/// learned.
pub fn learnings(input: &ReportInput) -> Vec<Learning<'_>> {
    input
        .view
        .incidents
        .iter()
        .flat_map(|incident| {
            input
                .knowledge
                .binary_search_by_key(&incident.id, |k| k.incident)
                .ok()
                .and_then(|at| input.knowledge.get(at))
                .into_iter()
                .flat_map(|k| &k.known)
                .map(move |known| Learning {
                    incident,
                    economy: known.economy,
                    at: known.at,
                    source: known.source,
                })
        })
        .collect()
}

/// How an economy first came to know of a campaign.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CampaignSource<'a> {
    /// Through one of the campaign's incidents: detected there, or shared with it.
    Incident(Learning<'a>),
    /// A partner CSIRT's notification.
    Notified(Notification),
}

impl CampaignSource<'_> {
    /// The tick the economy learned at.
    pub fn at(&self) -> u32 {
        match self {
            CampaignSource::Incident(learning) => learning.at,
            CampaignSource::Notified(notification) => notification.tick,
        }
    }

    /// How, in words.
    pub fn how(&self, input: &ReportInput) -> String {
        match self {
            CampaignSource::Incident(learning) => how(input, learning.source),
            CampaignSource::Notified(n) => {
                format!("notified by {}", Names(&input.view).economy(n.from))
            }
        }
    }
}

/// When each economy first learned of each campaign, by campaign then economy: the
/// earliest of its learnings of the campaign's incidents and of the notifications it
/// received (on a tie, an incident before a notification, the first incident first).
pub fn campaign_firsts<'a>(
    learnings: &[Learning<'a>],
    notifications: &[Notification],
) -> BTreeMap<(CampaignIdx, EconomyIdx), CampaignSource<'a>> {
    let mut firsts: BTreeMap<(CampaignIdx, EconomyIdx), CampaignSource<'a>> = BTreeMap::new();
    let sources = learnings
        .iter()
        .filter_map(|l| {
            Some((
                l.incident.campaign?,
                l.economy,
                CampaignSource::Incident(*l),
            ))
        })
        .chain(
            notifications
                .iter()
                .map(|n| (n.campaign, n.to, CampaignSource::Notified(*n))),
        );
    for (campaign, economy, source) in sources {
        firsts
            .entry((campaign, economy))
            .and_modify(|first| {
                if source.at() < first.at() {
                    *first = source;
                }
            })
            .or_insert(source);
    }
    firsts
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::command::IncidentId;

    use super::*;

    fn incident(id: u32, campaign: Option<u32>) -> IncidentView {
        IncidentView {
            id: IncidentId(id),
            asset: cyberdrill_engine::scenario::model::AssetIdx(0),
            economy: EconomyIdx(0),
            campaign: campaign.map(CampaignIdx),
            kind: None,
            stage: cyberdrill_engine::view::Stage::InitialAccess,
            severity: cyberdrill_engine::view::Severity::Low,
            source: Source::Own,
            started_at: Some(2),
            detected_at: None,
            contained_at: None,
            recovered_at: None,
            investigated: false,
            found_by: None,
            referred: false,
        }
    }

    #[test]
    fn an_economy_learns_a_campaign_from_its_earliest_source() {
        let (a, b) = (incident(1, Some(0)), incident(2, Some(0)));
        let learnings = [
            Learning {
                incident: &a,
                economy: EconomyIdx(1),
                at: 9,
                source: Source::Own,
            },
            Learning {
                incident: &b,
                economy: EconomyIdx(1),
                at: 5,
                source: Source::Own,
            },
        ];
        assert_eq!(learnings[0].after_start(), Some(7));
        let firsts = campaign_firsts(&learnings, &[]);
        assert_eq!(
            firsts[&(CampaignIdx(0), EconomyIdx(1))],
            CampaignSource::Incident(learnings[1])
        );
        let told = notifications(&[
            Outcome {
                tick: 3,
                what: Achieved::Notified {
                    campaign: CampaignIdx(0),
                    from: EconomyIdx(2),
                    to: EconomyIdx(1),
                },
            },
            Outcome {
                tick: 4,
                what: Achieved::Takedown {
                    campaign: CampaignIdx(0),
                    host: EconomyIdx(2),
                },
            },
        ]);
        assert_eq!(told.len(), 1);
        let firsts = campaign_firsts(&learnings, &told);
        assert_eq!(
            firsts[&(CampaignIdx(0), EconomyIdx(1))],
            CampaignSource::Notified(told[0])
        );
        assert_eq!(firsts.len(), 1);
    }
}
