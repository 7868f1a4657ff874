/** What planning a unit needs besides its random stream: the clock's `now`, the window, campaigns and the team. */
import type { CampaignCalendar } from './campaigns.js';
import type { Rng } from './rng.js';
import type { Team } from './team.js';

export interface PlanContext {
  rng: Rng;
  now: number;
  windowStart: number;
  calendar: CampaignCalendar;
  team: Team;
}
