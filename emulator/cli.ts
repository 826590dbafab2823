/**
 * `track-in-crm emulator --port P --db FILE [--seed demo|empty] [--quiet]`: runs the local Dataverse
 * emulator until SIGINT/SIGTERM (the command itself is emulator/command.ts, shared with the Graph one).
 */
import { parseArgs, runEmulator, type EmulatorArgs, type EmulatorCommandSpec } from './command';
import { startEmulator } from './server';

export type { EmulatorArgs };

export const EMULATOR_USAGE = `usage: track-in-crm emulator [--port P] [--db FILE] [--seed demo|empty] [--quiet]
  Serves a local Dataverse Web API v9.2 subset at http://localhost:P/api/data/v9.2 over SQLite.
  --port   port to listen on (default 5555; 0 picks a free one)
  --db     SQLite file, created with its folder when missing (default .data/crm.sqlite)
  --seed   fill an empty database with the demo organization (demo, default) or only the org and you (empty)
  --quiet  no request log`;

const SPEC: EmulatorCommandSpec = {
  name: 'emulator',
  label: 'Dataverse emulator',
  usage: EMULATOR_USAGE,
  defaults: { port: 5555, dbFile: '.data/crm.sqlite', seeds: ['demo', 'empty'] },
  // The parser accepts only this emulator's seeds, so `workbench` never reaches it.
  start: (options) => startEmulator({ ...options, seed: options.seed === 'empty' ? 'empty' : 'demo' }),
};

/** Parses the arguments; a string is an error message. */
export const parseEmulatorArgs = (argv: readonly string[]): EmulatorArgs | string =>
  parseArgs(argv, SPEC.defaults);

export const runEmulatorCommand = (
  argv: readonly string[],
  io?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> => runEmulator(SPEC, argv, io);
