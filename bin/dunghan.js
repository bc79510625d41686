#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx dunghan` works right after `npm ci`.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { register } from 'tsx/esm/api';

// A .env in the working directory fills in what the environment does not set (.env.example lists every variable).
if (existsSync('.env')) {
  for (const [name, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) if (process.env[name] === undefined) process.env[name] = value;
}
register();
const { main, UsageError } = await import('../src/cli/main.ts');
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
