#!/usr/bin/env node
// The revloop command. In a source checkout (src/ present and tsx installed) it runs the
// TypeScript sources through tsx, so there is nothing to rebuild while developing. An installed
// package ships no src/ and runs the compiled build in dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(source) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error('revloop: no build found in dist/; run `npm run build` (or `npm ci` in a source checkout).');
  process.exit(1);
}
