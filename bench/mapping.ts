/** How long `revloop validate` takes on the shipped mappings, and a plan of one record pair per field rule. */
import { join } from 'node:path';
import { loadMappings } from '../src/config/mapping/load.js';
import { planRecord } from '../src/core/sync/record-plan.js';
import { round, table, type Figures } from './lib/report.js';

export async function run(args: string[]): Promise<Figures> {
  const iterations = Number(args[args.indexOf('--iterations') + 1]) || 50;
  const dir = join(import.meta.dirname, '..', 'mappings');
  const first = await loadMappings(dir);
  if (!first.set) throw new Error('the shipped mappings are invalid');
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await loadMappings(dir);
  const validateMs = (performance.now() - t0) / iterations;

  const fields = first.set.contacts.fields;
  const plans = 20_000;
  const t1 = performance.now();
  for (let i = 0; i < plans; i++) {
    planRecord({
      fields,
      salesforceObject: 'Lead',
      hubspot: { id: String(i), properties: { email: `p${i}@example.com`, firstname: 'Ada', lastname: `L${i}`, company: 'Acme', hubspotscore: '40' }, propertyChangedAt: {}, modifiedAt: 1 },
      salesforce: { object: 'Lead', id: `00Q${i}`, fields: { Email: `p${i}@example.com`, FirstName: 'Ada', LastName: null, Company: 'Acme' }, fieldChangedAt: {}, modifiedAt: 2 },
      ledger: {},
      now: 3,
    });
  }
  const planUs = ((performance.now() - t1) * 1000) / plans;
  process.stdout.write(`${table([
    { figure: 'validate (4 files)', value: `${round(validateMs)} ms`, runs: iterations },
    { figure: 'plan one contact pair', value: `${round(planUs)} µs`, runs: plans },
  ])}\n`);
  return { iterations, ms_per_validate: round(validateMs), us_per_record_plan: round(planUs) };
}
