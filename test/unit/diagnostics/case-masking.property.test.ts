/**
 * "Copy as a case" with addresses masked (issue 13): masking must never change what the rules decide,
 * or support would be reproducing another decision. fast-check walks the rules' paths (caseArbitrary).
 */
import fc from 'fast-check';
import { maskCase } from '../../../src/app/diagnosticsCase';
import { readCase } from '../../../src/cli/caseInput';
import { explainCase } from '../../../src/cli/explain';
import { caseArbitrary } from './caseArbitrary';

const decided = (value: unknown) => {
  const decision = explainCase(readCase(JSON.parse(JSON.stringify(value))));
  return { track: decision.track, reason: decision.reason, code: decision.code };
};

test('explain(masked case) gives the same track, reason and code as explain(case)', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      expect(decided(maskCase(c))).toEqual(decided(c));
    }),
    { numRuns: 400 },
  );
});

test('no valid address keeps its local part once masked', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      const text = JSON.stringify(maskCase(c));
      for (const local of ['ann@', 'Ann@', 'bob@', 'me@', 'eve@']) expect(text).not.toContain(local);
    }),
  );
});

test('the same address in any case becomes the same masked address everywhere', () => {
  const masked = maskCase(
    JSON.parse(
      JSON.stringify({
        email: {
          from: { address: 'Ann@Fabrikam.com', name: 'Ann' },
          to: [{ address: 'bob@fabrikam.com', name: null }],
          cc: [],
          bcc: [],
        },
        user: { email: 'bob@fabrikam.com' },
        crm: {
          records: [{ emails: ['ann@fabrikam.com', ''] }],
          trackedEmails: [{ addresses: ['ANN@fabrikam.com'] }],
        },
      }),
    ),
  ) as {
    email: { from: { address: string; name: string }; to: { address: string }[] };
    user: { email: string };
    crm: { records: { emails: string[] }[]; trackedEmails: { addresses: string[] }[] };
  };
  expect(masked.email.from).toEqual({ address: 'user1@fabrikam.com', name: 'User 1' });
  expect(masked.email.to[0]!.address).toBe('user2@fabrikam.com');
  expect(masked.user.email).toBe('user2@fabrikam.com');
  expect(masked.crm.records[0]!.emails).toEqual(['user1@fabrikam.com', '']);
  expect(masked.crm.trackedEmails[0]!.addresses).toEqual(['user1@fabrikam.com']);
});

test('the cases walk many of the rules’ paths, so the property above is not about one reason', () => {
  const reasons = new Set(fc.sample(caseArbitrary, 600).map((c) => decided(c).reason));
  expect(reasons.size).toBeGreaterThanOrEqual(10);
});
