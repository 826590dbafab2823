/**
 * The `track-in-crm` command. Subcommands:
 *   explain [FILE|-]   decide cases (JSON or JSON Lines) and print one decision (or plan) per line
 *   emulator …         the local Dataverse emulator (started from entry.ts: it does not exit)
 *   graph-emulator …   the local Microsoft Graph emulator (likewise)
 */
import { readFileSync } from 'node:fs';
import { explain } from './explain';

const USAGE = `usage: track-in-crm explain [FILE|-]
       track-in-crm emulator [--port P] [--db FILE] [--seed demo|empty]
       track-in-crm graph-emulator [--port P] [--db FILE] [--seed demo|empty|workbench]

explain: reads one case (JSON) or many (JSON Lines) from FILE or standard input, decides each with the
  add-in's tracking rules, and prints one JSON decision per line. See spec §6. A case of action
  "cycle" plans one background check of a mailbox and prints its plan (background-check.md §2); one
  of action "sync" plans one synchronization of contacts, appointments or tasks (synchronization.md §3).
  Exit status: 0 when every case was decided, 2 when any input was malformed (the other cases are
  still decided), 1 when a case could not be decided for a reason other than its input (a bug).
emulator: runs the local Dataverse Web API emulator (SQLite) until stopped.
graph-emulator: runs the local Microsoft Graph (mail) emulator (SQLite) until stopped.`;

function readInput(source: string | undefined): string {
  // fd 0 reads standard input synchronously, including from a pipe or a file redirect.
  return readFileSync(source === undefined || source === '-' ? 0 : source, 'utf8');
}

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'explain') {
    process.stderr.write(`track-in-crm: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  if (rest.length > 1) {
    process.stderr.write(`track-in-crm explain: one FILE at most, got ${rest.length}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readInput(rest[0]);
  } catch (error) {
    process.stderr.write(
      `track-in-crm explain: cannot read ${rest[0] ?? 'standard input'}: ${(error as Error).message}\n`,
    );
    return 2;
  }
  const { decisions, errors, failures } = explain(text);
  if (decisions.length > 0) process.stdout.write(`${decisions.join('\n')}\n`);
  for (const error of [...errors, ...failures]) process.stderr.write(`track-in-crm explain: ${error}\n`);
  return failures.length > 0 ? 1 : errors.length > 0 ? 2 : 0;
}
