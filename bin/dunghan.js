#!/usr/bin/env node
// Runs the sources compiled by `npm ci` (`prepare` → dist/), and the TypeScript itself (tsx) when dist/ is missing or
// older than a source file (a developer's edit): a start in a fraction of a second, never a stale program.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

// A .env in the working directory fills in what the environment does not set (.env.example lists every variable).
if (existsSync('.env')) {
  for (const [name, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) if (process.env[name] === undefined) process.env[name] = value;
}
/** The newest modification time under a directory (the sources: a few hundred files, a few milliseconds). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/main.js`;
const compiled = existsSync(built) && statSync(built).mtimeMs >= newest(`${root}src`);
if (!compiled) (await import('tsx/esm/api')).register();
const { main, UsageError } = await import(compiled ? '../dist/cli/main.js' : '../src/cli/main.ts');
let code;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err?.name === 'EmptyDatabaseError' || err?.name === 'BackupRefused') {
    console.error(`dunghan: ${err.message}`);
    code = 2;
  } else if (err?.name === 'EmbeddedStartError' || err?.name === 'ConfigError') {
    // The environment, not the program: the message says what to change.
    console.error(`dunghan: ${err.message}`);
    code = 1;
  } else {
    console.error(err instanceof Error ? err.stack : String(err));
    code = 1;
  }
}
// Explicit: the tsx loader keeps a handle open, and exitCode alone is not honoured through it.
process.exit(code);
