/** Calendar keys the KPIs group by (UTC) and the nearest-rank percentile. Pure. */

const DAY_MS = 86_400_000;

/** `YYYY-MM` of a UTC time. */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** ISO 8601 week of a UTC time, `YYYY-Www` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(at: number): string {
  const d = new Date(at);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - weekday + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${week < 10 ? '0' : ''}${week}`;
}

/** The value at rank ⌈p·n⌉ of an ascending list (nearest-rank percentile); null for an empty list. */
export function percentile(ascending: ArrayLike<number>, p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * ascending.length));
  return ascending[rank - 1] ?? null;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
