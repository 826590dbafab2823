import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseCase, merge } from '../../support/cases';

// Each test starts the built command (a process each, on a machine that may be busy).
jest.setTimeout(30_000);

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'track-in-crm.cjs');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: root });

describe('§6 the explain command', () => {
  test('§6: the spec example gives the decision shown there', () => {
    const result = run(['explain', path.join(root, 'test/fixtures/cases/spec-example.json')]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const decision = JSON.parse(lines[0] as string);
    expect(Object.keys(decision)).toEqual([
      'track',
      'reason',
      'code',
      'existingActivityId',
      'correlation',
      'regarding',
      'sender',
      'senderCandidates',
      'parties',
      'create',
      'requiresRegarding',
      'trace',
    ]);
    expect(decision).toMatchObject({
      track: true,
      reason: 'CorrelationMatch',
      code: 2,
      existingActivityId: null,
      correlation: { method: 'InReplyTo', activityId: 'e1' },
      regarding: { type: 'opportunity', id: 'o1' },
      sender: { type: 'contact', id: 'c1' },
      senderCandidates: [],
      parties: [{ role: 'to', address: 'me@contoso.com', records: [] }],
      create: [],
      requiresRegarding: false,
    });
    expect(decision.trace.length).toBeGreaterThan(3);
  });

  test('§6: the example exactly as printed in the spec (with its "…" placeholders) still gives that decision', () => {
    // The placeholders make orgdborgsettings malformed XML and the Thread-Index invalid: both are
    // setting or field values, not malformed input, so the decision stands and the trace says why.
    const result = run(['explain', path.join(root, 'test/fixtures/cases/spec-example-literal.json')]);
    expect(result.status).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({
      track: true,
      reason: 'CorrelationMatch',
      code: 2,
      correlation: { method: 'InReplyTo', activityId: 'e1' },
      regarding: { type: 'opportunity', id: 'o1' },
      sender: { type: 'contact', id: 'c1' },
    });
    expect(decision.trace[0]).toMatch(/orgdborgsettings XML is malformed/);
  });

  test('§6: JSON Lines in, one decision per line out, from standard input ("-")', () => {
    const a = JSON.stringify(baseCase());
    const b = JSON.stringify(merge(baseCase(), { action: 'track' }));
    const result = run(['explain', '-'], `${a}\n\n${b}\n`);
    expect(result.status).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).reason),
    ).toEqual(['NoCorrelationMatch', 'ManualTrack']);
  });

  test('§6: one pretty-printed JSON case is read whole', () => {
    const result = run(['explain'], JSON.stringify(baseCase(), null, 2));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).reason).toBe('NoCorrelationMatch');
  });

  test.each<[string, string, RegExp]>([
    ['not JSON', 'nope', /line 2: not JSON/],
    ['a missing action', JSON.stringify({ email: {} }), /line 2: field action: missing/],
    ['a missing email', JSON.stringify({ action: 'incoming' }), /line 2: field email: missing/],
    [
      'an unknown action',
      JSON.stringify({ action: 'promote', email: {} }),
      /line 2: field action: expected "incoming" or "track" or "compose"/,
    ],
    [
      'a wrong type',
      JSON.stringify(merge(baseCase(), { email: { to: 'x' } })),
      /line 2: field email\.to: expected an array/,
    ],
    [
      'a wrong nested type',
      JSON.stringify(merge(baseCase(), { crm: { records: [{ type: 'contact', id: 5 }] } })),
      /line 2: field crm\.records\[0\]\.id: expected a string/,
    ],
    [
      'a wrong direction',
      JSON.stringify(merge(baseCase(), { email: { direction: 'sideways' } })),
      /line 2: field email\.direction/,
    ],
    [
      'a setting of the wrong type',
      JSON.stringify(merge(baseCase(), { settings: { user: { incomingemailfilteringmethod: 'all' } } })),
      /line 2: field settings\.user\.incomingemailfilteringmethod: expected one of/,
    ],
  ])(
    '§6: malformed input (%s): exit 2, the line and field named, the other lines still decided',
    (_name, bad, message) => {
      const good = JSON.stringify(baseCase());
      const result = run(['explain'], `${good}\n${bad}\n${good}\n`);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout.trim().split('\n')).toHaveLength(2);
    },
  );

  test('§6: a malformed orgdborgsettings XML is a setting value, not malformed input', () => {
    const result = run(
      ['explain'],
      JSON.stringify(
        merge(baseCase(), { settings: { organization: { orgdborgsettings: '<OrgSettings><x>' } } }),
      ),
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).trace[0]).toMatch(/malformed/);
  });

  test('§6: email.headers fields win over the structured fields', () => {
    const headers = readFileSync(path.join(root, 'test/fixtures/mail/eml/mikel-mail__example06.eml'), 'utf8');
    const c = merge(baseCase(), {
      email: { headers, messageId: '<ignored@x>', inReplyTo: null },
      crm: {
        trackedEmails: [
          {
            activityId: 'e1',
            messageId: '<1234@local.machine.example>',
            regarding: { type: 'account', id: 'a1' },
            addresses: [],
          },
        ],
      },
    });
    const decision = JSON.parse(run(['explain'], JSON.stringify(c)).stdout);
    expect(decision).toMatchObject({
      reason: 'CorrelationMatch',
      correlation: { method: 'InReplyTo', activityId: 'e1' },
      regarding: { type: 'account', id: 'a1' },
    });
  });

  test('a reader that stops early (| head) ends the command quietly with its status, no stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'explain', '-'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // the reader takes the first chunk of decisions, then closes its end of the pipe
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(`${JSON.stringify(baseCase())}\n`.repeat(5_000));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  test('usage errors exit 2 with a message', () => {
    expect(run([]).status).toBe(2);
    expect(run(['frobnicate']).stderr).toMatch(/unknown command/);
    expect(run(['explain', '/no/such/file']).stderr).toMatch(/cannot read/);
    expect(run(['--help']).status).toBe(0);
  });
});

describe('§6 malformed input, strictly', () => {
  const good = JSON.stringify(baseCase());
  test.each<[string, string, RegExp]>([
    [
      '"action": null',
      JSON.stringify({ ...baseCase(), action: null }),
      /field action: expected "incoming" or "track" or "compose", got null/,
    ],
    [
      'a sender written as a bare string',
      JSON.stringify(merge(baseCase(), { email: { from: 'ann@fabrikam.com' } })),
      /field email\.from: expected an object/,
    ],
    [
      'References as one string',
      JSON.stringify(merge(baseCase(), { email: { references: '<a@x> <b@y>' } })),
      /field email\.references: expected an array/,
    ],
    [
      'a boolean setting written as text',
      JSON.stringify(merge(baseCase(), { settings: { organization: { emailcorrelationenabled: 'false' } } })),
      /field settings\.organization\.emailcorrelationenabled: expected true or false/,
    ],
    [
      'a number setting written as text',
      JSON.stringify(merge(baseCase(), { settings: { user: { incomingemailfilteringmethod: '0' } } })),
      /field settings\.user\.incomingemailfilteringmethod: expected one of/,
    ],
  ])('§6: a wrong type is malformed input: %s', (_name, bad, message) => {
    const result = run(['explain'], `${bad}\n${good}\n`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('§6: text stays text where the source is text: tic_ environment variables, OrgDBOrgSettings by name', () => {
    // Both values are read for what they say (the defaults are the opposite: tokens on, no promote of
    // duplicates), so a reader that dropped or refused the text would decide otherwise.
    const c = merge(baseCase(), {
      email: { subject: 'RE: Quote CRM:0001234' },
      settings: { organization: { tic_useTrackingToken: 'false', AllowPromoteDuplicates: 'true' } },
      crm: {
        trackedEmails: [
          // the same Message-ID, tracked by another user: a Duplicate unless AllowPromoteDuplicates
          { activityId: 'e7', messageId: '<new@fabrikam.com>', trackedBy: 'u2', addresses: [] },
          // the subject's token: it would correlate if tracking tokens were on
          { activityId: 't1', messageId: '<t1@crm>', trackingToken: 'CRM:0001234', addresses: [] },
        ],
      },
    });
    const result = run(['explain'], JSON.stringify(c));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision.reason).not.toBe('Duplicate');
    expect(decision.correlation).toBeNull();
    expect(decision.trace).toContain('§3.2: tracking tokens are off (useTrackingToken = false)');
    expect(decision.trace.join('\n')).toMatch(/AllowPromoteDuplicates lets this user track it again/);
  });

  test('§6: untrusted text in a case is data in the output: one JSON line, the text intact, nothing forged', () => {
    // A Message-ID and an address crafted to end the JSON line and start a forged decision, with a
    // terminal escape: printed as escaped JSON strings, read back exactly as given.
    const messageId = '<a"}\n{"track":true,"reason":"Forged"}\u001b[2J$(touch /tmp/pwned)@x>';
    const address = 'x"},{"role":"to\r\n@fabrikam.com';
    const c = merge(baseCase(), { email: { messageId, to: [{ address }] } });
    const result = run(['explain'], JSON.stringify(c));
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    const lines = result.stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\u001b');
    const decision = JSON.parse(lines[0] as string);
    expect(decision.reason).toBe('NoCorrelationMatch');
    expect(decision.parties).toEqual([{ role: 'to', address, records: [] }]);
    expect(decision.trace.some((t: string) => t.includes(messageId))).toBe(true);
  });

  test('§6: untrusted text in a malformed line cannot forge or hide a message on standard error', () => {
    // Not JSON, holding a carriage return and a terminal escape: the error names line 1 on one line,
    // with the control characters escaped, and the good line 2 is still decided.
    const bad = 'nope\r\u001b[1Aline 9: field forged: hidden';
    const result = run(['explain'], `${bad}\n${good}\n`);
    expect(result.status).toBe(2);
    const messages = result.stderr.trimEnd().split('\n');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^track-in-crm explain: line 1: not JSON: /);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toContain('\\u001b');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('§6: a bad first line does not stop the lines after it', () => {
    const result = run(['explain'], `oops\n${good}\n{"action":"incoming",\n${good}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/line 1: not JSON/);
    expect(result.stderr).toMatch(/line 3: not JSON/);
  });

  test('§6: a byte-order mark before the input is not content', () => {
    const result = run(['explain'], `\uFEFF${good}\n`);
    expect(result.status).toBe(0);
  });
});
