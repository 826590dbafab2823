/**
 * `track-in-crm graph-emulator --port P --db FILE [--seed demo|empty|workbench] [--quiet]`: runs the local
 * Microsoft Graph emulator until SIGINT/SIGTERM (the command itself is emulator/command.ts).
 */
import { parseArgs, runEmulator, type EmulatorArgs, type EmulatorCommandSpec } from '../command';
import { startGraphEmulator } from './server';

export type GraphEmulatorArgs = EmulatorArgs;

export const GRAPH_EMULATOR_USAGE = `usage: track-in-crm graph-emulator [--port P] [--db FILE] [--seed demo|empty|workbench] [--quiet]
  Serves the mail part of Microsoft Graph v1.0 at http://localhost:P/v1.0 over SQLite (any Bearer token).
  --port   port to listen on (default 5556; 0 picks a free one)
  --db     SQLite file, created with its folder when missing (default .data/graph.sqlite)
  --seed   fill an empty database with the demo mailbox of me@contoso.com (demo, default), only its folders (empty), or its folders, contacts, meeting and task without mail (workbench)
  --quiet  no request log`;

const SPEC: EmulatorCommandSpec = {
  name: 'graph-emulator',
  label: 'Graph emulator',
  usage: GRAPH_EMULATOR_USAGE,
  defaults: { port: 5556, dbFile: '.data/graph.sqlite', seeds: ['demo', 'empty', 'workbench'] },
  start: startGraphEmulator,
};

/** Parses the arguments; a string is an error message. */
export const parseGraphEmulatorArgs = (argv: readonly string[]): GraphEmulatorArgs | string =>
  parseArgs(argv, SPEC.defaults);

export const runGraphEmulatorCommand = (
  argv: readonly string[],
  io?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> => runEmulator(SPEC, argv, io);
