//! What teams (and the facilitator) can do: commands are data, validated once at the
//! facade's door ([`crate::Simulation::submit`]) and journaled as they were accepted.
//!
//! The actions are those of the source documents: watch, warning, incident response
//! and recovery (APEC action area 3; ITU GCA technical measures), information sharing
//! across borders (APEC 7; ITU "share information"), mutual legal assistance (APEC 2;
//! ITU legal measures), public-private partnership (APEC 4), user awareness (APEC 5).

use serde::{Deserialize, Serialize};

use crate::scenario::model::{AssetIdx, EconomyIdx, InjectIdx, SectorIdx, TeamIdx};

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

/// Traffic Light Protocol label on shared information (FIRST TLP 2.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tlp {
    /// May be shared publicly.
    Clear,
    /// Within the recipients' community.
    Green,
    /// Recipients' organisations only, need-to-know.
    Amber,
    /// Named recipients only.
    Red,
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
    /// Send an investigated incident's indicators to other economies.
    ShareIndicators {
        incident: IncidentId,
        with: Vec<EconomyIdx>,
        tlp: Tlp,
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
    /// Coordinate with the private operators of a sector (public-private partnership).
    CoordinateOperators { sector: SectorIdx },
    /// A message to other teams or the facilitator.
    Message { to: Recipient, text: String },
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
    /// Short human name of the action, for task lists and timelines.
    pub fn label(&self) -> &'static str {
        match self {
            Command::Investigate { .. } => "investigate",
            Command::Contain { .. } => "contain",
            Command::Restore { .. } => "restore",
            Command::HardenSector { .. } => "harden sector",
            Command::AwarenessCampaign => "awareness campaign",
            Command::ShareIndicators { .. } => "share indicators",
            Command::RequestAssistance { .. } => "request assistance",
            Command::ProvideAssistance { .. } => "provide assistance",
            Command::LegalAction { .. } => "legal action",
            Command::MutualLegalAssistance { .. } => "mutual legal assistance",
            Command::Takedown { .. } => "takedown",
            Command::CoordinateOperators { .. } => "coordinate operators",
            Command::Message { .. } => "message",
            Command::FireInject { .. } => "fire inject",
            Command::EditInject { .. } => "edit inject",
            Command::Broadcast { .. } => "broadcast",
        }
    }

    /// Whether only the facilitator may issue this command.
    pub fn is_facilitator_only(&self) -> bool {
        matches!(
            self,
            Command::FireInject { .. } | Command::EditInject { .. } | Command::Broadcast { .. }
        )
    }
}
