/**
 * Marketing's side of the day: new people filling in forms (HubSpot FORM writes, creating the contact and its
 * company association), and engagement that adds a conversion (FORM) and raises the score (the scoring workflow,
 * AUTOMATION). Whether a person becomes an MQL is revloop's lifecycle's call, not the driver's.
 */
import { formActor } from '../generator/actors.js';
import { jobTitle } from '../generator/person-profile.js';
import { MQL_SCORE, CONVERSION_FORMS, DEMO_REQUEST, DEPARTMENTS, FREE_MAIL_DOMAINS, LEVELS, SOURCES } from '../generator/vocabulary.js';
import type { Actor } from '../hubspot/store/actors.js';
import type { ActionContext } from './action-context.js';
import { asciiName } from './action-context.js';
import type { ActionResult } from './activity-kinds.js';

/** The lead-scoring workflow that adds points for engagement. */
export const SCORING_WORKFLOW: Actor = { source: 'AUTOMATION', sourceId: '28417531', sourceLabel: 'Lead scoring' };
const ENGAGED_STAGES: ReadonlySet<string> = new Set(['subscriber', 'lead', 'marketingqualifiedlead']);

/** A live record id of a HubSpot type drawn at random (ids are row numbers), or undefined after a few misses. */
function randomRecord(ctx: ActionContext, type: 'contacts' | 'companies', accept: (props: Record<string, string | null>) => boolean, properties: string[]): { id: string; props: Record<string, string | null> } | undefined {
  const table = ctx.hubspot.table(type);
  for (let attempt = 0; attempt < 25 && table.rows > 0; attempt++) {
    const id = table.idOf(Math.floor(ctx.rng.float() * table.rows));
    const record = ctx.hubspot.get(type, id, { properties });
    if (record !== undefined && accept(record.properties)) return { id: record.id, props: record.properties };
  }
  return undefined;
}

export function newMarketingPerson(ctx: ActionContext): ActionResult {
  const { rng, hubspot } = ctx;
  const company = rng.chance(0.7) ? randomRecord(ctx, 'companies', (p) => p.domain !== null, ['domain', 'name']) : undefined;
  const firstName = rng.pick(rng.chance(0.5) ? ctx.pools.femaleFirstNames : ctx.pools.maleFirstNames);
  const lastName = rng.pick(ctx.pools.lastNames);
  const domain = company?.props.domain ?? rng.pick(FREE_MAIL_DOMAINS);
  let email = `${asciiName(firstName)}.${asciiName(lastName)}@${domain}`;
  while (hubspot.getBy('contacts', 'email', email) !== undefined) email = `${asciiName(firstName)}.${asciiName(lastName)}${ctx.next()}@${domain}`;
  const form = rng.chance(0.1) ? DEMO_REQUEST : rng.pick(CONVERSION_FORMS);
  const source = rng.pick(SOURCES);
  const now = new Date(hubspot.now()).toISOString();
  const created = hubspot.create(
    'contacts',
    {
      properties: {
        email,
        firstname: firstName,
        lastname: lastName,
        ...(company?.props.name == null ? {} : { company: company.props.name }),
        jobtitle: jobTitle(rng.pick(LEVELS), rng.pick(DEPARTMENTS)),
        lifecyclestage: 'lead',
        hubspotscore: String(rng.int(5, 40)),
        hs_analytics_source: source,
        hs_latest_source: source,
        first_conversion_event_name: form,
        first_conversion_date: now,
        recent_conversion_event_name: form,
        recent_conversion_date: now,
        num_conversion_events: '1',
      },
      ...(company === undefined ? {} : { associations: [{ toType: 'companies' as const, toId: company.id, typeIds: [1] }] }),
    },
    { actor: formActor(form) },
  );
  return { system: 'hubspot', object: 'contacts', recordId: created.id, by: 'FORM', summary: `${email} filled in "${form}"` };
}

export function marketingEngagement(ctx: ActionContext): ActionResult | null {
  const { rng, hubspot } = ctx;
  const contact = randomRecord(ctx, 'contacts', (p) => ENGAGED_STAGES.has(p.lifecyclestage ?? ''), ['lifecyclestage', 'hubspotscore', 'num_conversion_events', 'email', 'recent_conversion_event_name']);
  if (contact === undefined) return null;
  let form = rng.chance(0.15) ? DEMO_REQUEST : rng.pick(CONVERSION_FORMS);
  // The form the contact converted on last would leave recent_conversion_event_name as it is (HubSpot reports
  // no change, so no webhook): the engagement is on the next form instead.
  if (form === contact.props.recent_conversion_event_name) form = CONVERSION_FORMS[((CONVERSION_FORMS as readonly string[]).indexOf(form) + 1) % CONVERSION_FORMS.length] as string;
  const conversions = Number(contact.props.num_conversion_events ?? '0') + 1;
  hubspot.update(
    'contacts',
    contact.id,
    { recent_conversion_event_name: form, recent_conversion_date: new Date(hubspot.now()).toISOString(), num_conversion_events: String(conversions) },
    { actor: formActor(form) },
  );
  const before = Number(contact.props.hubspotscore ?? '0');
  const after = Math.min(100, before + rng.int(5, form === DEMO_REQUEST ? 40 : 20));
  hubspot.update('contacts', contact.id, { hubspotscore: String(after) }, { actor: SCORING_WORKFLOW });
  const crossed = before < MQL_SCORE && after >= MQL_SCORE ? ' (crosses the MQL threshold)' : '';
  return { system: 'hubspot', object: 'contacts', recordId: contact.id, by: 'FORM+AUTOMATION', summary: `${contact.props.email ?? ''}: "${form}", score ${before} → ${after}${crossed}` };
}
