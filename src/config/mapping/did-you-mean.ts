import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate to `input`, if one is close enough to be a likely typo
 * (edit distance at most a third of the longer word, at least 1; case and -/_ differences are free).
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
  const target = norm(input);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const score = distance(target, norm(candidate));
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(target.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}

export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closest(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}
