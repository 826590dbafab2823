/**
 * The rules' own test tables run here with every trace they produce kept (the tables decide through
 * explainCase, tracking.md §6); the last test holds that traceWords recognises every line they wrote.
 * A new line in the rules without its template fails here, not in front of a user.
 */
import { traceSentence } from '../../../src/app/traceWords';
import { loadTraceWords } from '../../../src/i18n/traceStrings';

const mockSeenLines = new Set<string>();

jest.mock('../../../src/cli/explain', () => {
  const actual = jest.requireActual<typeof import('../../../src/cli/explain')>('../../../src/cli/explain');
  return {
    ...actual,
    explainCase: (...args: Parameters<typeof actual.explainCase>) => {
      const decision = actual.explainCase(...args);
      for (const line of decision.trace) mockSeenLines.add(line);
      return decision;
    },
  };
});

// The rules' tables, registered as tests of this file (their own files run them on their own too).
require('../rules/decide-incoming.test');
require('../rules/decide-track.test');
require('../rules/decide-compose.test');
require('../rules/correlation.test');
require('../rules/correlation-real-email.test');
require('../rules/parties.test');
require('../rules/settings.test');

test("traceWords recognises every trace line the rules' tables produced", async () => {
  expect(mockSeenLines.size).toBeGreaterThan(50);
  const { t } = await loadTraceWords('en-US');
  const unrecognised = [...mockSeenLines].filter((line) => !traceSentence(line, t).recognised);
  expect(unrecognised).toEqual([]);
});
