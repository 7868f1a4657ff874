/**
 * `new Date(ms).toISOString()` without a Date per call. The simulators answer every read with
 * created and modified stamps and every datetime value as ISO text, and the lifecycle stamps each
 * stage a person enters; building a Date for each was a tenth of a simulator's time under load.
 * The day's "YYYY-MM-DDT" is worked out once per day met (with Date, so calendars and extended
 * years stay exactly Date's) and the time of day by arithmetic.
 */
const DAY_MS = 86_400_000;

let dayStart = Number.NaN;
let dayPrefix = '';

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function isoString(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  let offset = ms - dayStart;
  if (!(offset >= 0 && offset < DAY_MS)) {
    const start = Math.floor(ms / DAY_MS) * DAY_MS;
    const iso = new Date(start).toISOString();
    // Years past 9999 (or before 0) are written with a sign and six digits: left to Date.
    if (iso.length !== 24) return new Date(ms).toISOString();
    dayStart = start;
    dayPrefix = iso.slice(0, 11);
    offset = ms - start;
  }
  const milli = offset % 1000;
  const seconds = (offset - milli) / 1000;
  const s = seconds % 60;
  const minutes = (seconds - s) / 60;
  const m = minutes % 60;
  const h = (minutes - m) / 60;
  return `${dayPrefix}${two(h)}:${two(m)}:${two(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
