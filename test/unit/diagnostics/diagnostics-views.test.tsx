/** The diagnostics views rendered to HTML (no browser): Why?, the log and its words, all as text. */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';
import { englishPaneStrings, loadPaneStrings } from '../../../src/i18n/surfaces';
import { loadTraceWords, type TraceStrings } from '../../../src/i18n/traceStrings';
import { PaneStringsContext } from '../../../src/taskpane/strings';
import { CaseCopy } from '../../../src/taskpane/components/CaseCopy';
import { DiagnosticsScreen } from '../../../src/taskpane/components/DiagnosticsScreen';
import { WhyView } from '../../../src/taskpane/components/WhyView';
import { eventsToShow, eventWords } from '../../../src/taskpane/controller/diagnosticsWords';
import { decisionWith } from '../../support/decisions';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const { t } = englishPaneStrings;
// "Why?" paints the trace words at once when their chunk is already loaded, as on a second opening.
let trace: TraceStrings['t'];
beforeAll(async () => {
  ({ t: trace } = await loadTraceWords('en-US'));
});
const quiet = { log: () => undefined };

test("Why? says each step as a plain question with a plain sentence, the rules' line kept for support", () => {
  const html = render(
    <WhyView
      decision={decisionWith({
        trace: [
          '§2.1 step 1: no tracked email has Message-ID <a@x>',
          'decision: do not track (SenderNotMatched)',
        ],
      })}
      onClose={() => undefined}
    />,
  );
  expect(html).toContain(trace('trace.stepIncoming1'));
  expect(html).toContain(trace('trace.dupNone'));
  expect(html).toContain(trace('trace.stepDecision'));
  expect(html).toContain(trace('trace.finalNotTracked', { reason: trace('trace.reasonSenderNotMatched') }));
  expect(html).toContain('no tracked email has Message-ID &lt;a@x&gt;');
});

test('Why? names a record by its type and name, not its id, in the sentence', () => {
  const html = render(
    <WhyView
      decision={decisionWith({ trace: ['§2.1 step 8: the sender is contact 7185cf82-0000'] })}
      names={{ 'contact:7185cf82-0000': 'Ann Lee' }}
      onClose={() => undefined}
    />,
  );
  const sentence = /data-testid="why-sentence"[^>]*>(.*?)<\/li>/.exec(html)?.[1] ?? '';
  expect(sentence).toContain('Ann Lee');
  expect(sentence).toContain(trace('trace.type_contact'));
  expect(sentence).not.toContain('7185cf82');
});

test('Why? in German: questions, sentences and the final line in German', async () => {
  const german = await loadPaneStrings('de-DE');
  const germanTrace = await loadTraceWords('de-DE');
  const html = render(
    <PaneStringsContext.Provider value={german}>
      <WhyView
        decision={decisionWith({
          track: false,
          reason: 'Duplicate',
          trace: ['§2.1 step 1: this user already tracked it as e1', 'decision: do not track (Duplicate)'],
        })}
        onClose={() => undefined}
      />
    </PaneStringsContext.Provider>,
  );
  expect(html).toContain('Ist die E-Mail schon im CRM?');
  expect(html).toContain(germanTrace.t('trace.dupMine'));
  expect(html).toContain(germanTrace.t('trace.finalDuplicate'));
  expect(html).not.toContain(trace('trace.stepIncoming1'));
  expect(html).not.toMatch(/Regel §|>§2\.1 step 1<\/h4>/);
});

test('the log names a decision by its masked sender and says its outcome in words, no item id', () => {
  const line = eventWords(
    {
      kind: 'decision',
      action: 'incoming',
      track: false,
      reason: 'Duplicate',
      item: '***@fabrikam.com',
      at: 0,
      seq: 1,
    },
    t,
  );
  expect(line).toBe(
    t('diagnostics.logDecision', {
      item: t('diagnostics.logDecisionFrom', { sender: '***@fabrikam.com' }),
      outcome: trace('trace.finalDuplicate'),
    }),
  );
});

test("the log does not show an Exchange item id logged as a decision's item", () => {
  const line = eventWords(
    {
      kind: 'decision',
      action: 'incoming',
      track: true,
      reason: 'AcceptAll',
      item: 'AAMkAGI2TG93AAA=',
      at: 0,
      seq: 1,
    },
    t,
  );
  expect(line).not.toContain('AAMk');
  expect(line).toContain(t('diagnostics.logDecisionOpenEmail'));
});

test('Why? renders a trace line holding markup as text', () => {
  const html = render(
    <WhyView
      decision={decisionWith({ trace: ['§2.1 step 8: the sender is contact <img src=x onerror=alert(1)>'] })}
      onClose={() => undefined}
    />,
  );
  expect(html).not.toContain('<img');
});

test('Why? without a decision says none could be made', () => {
  expect(render(<WhyView decision={null} onClose={() => undefined} />)).toContain(
    t('diagnostics.whyNoDecision'),
  );
});

test('Copy as a case masks addresses by default', () => {
  const html = render(
    <CaseCopy state={{ decision: decisionWith(), activityId: null }} session={() => null} />,
  );
  expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked=""/);
});

test('the log lists its events newest first with their words', () => {
  const ring = createDiagnosticsRing({ console: quiet });
  ring.event({
    kind: 'request',
    service: 'crm',
    method: 'GET',
    path: '/api/data/v9.2/WhoAmI',
    status: 200,
    durationMs: 12,
    requestId: 'req-9',
    attempt: 1,
  });
  ring.event({ kind: 'queue', move: 'queued', key: 'item-1', attempts: 1 });
  const html = render(<DiagnosticsScreen ring={ring} onClose={() => undefined} />);
  expect(html.indexOf('Track item-1')).toBeLessThan(html.indexOf('WhoAmI'));
  expect(html).toContain('request id req-9');
});

test('an empty log says so', () => {
  expect(
    render(<DiagnosticsScreen ring={createDiagnosticsRing({ console: quiet })} onClose={() => undefined} />),
  ).toContain(t('diagnostics.logEmpty'));
});

test('a request line has service, method, path, status, duration, try and request id', () => {
  expect(
    eventWords(
      {
        kind: 'request',
        service: 'graph',
        method: 'PATCH',
        path: '/v1.0/me/messages/1',
        status: 429,
        durationMs: 30,
        requestId: 'g-1',
        attempt: 2,
        at: 0,
        seq: 1,
      },
      t,
    ),
  ).toBe('Graph PATCH /v1.0/me/messages/1: HTTP 429, 30 ms · try 2 · request id g-1');
});

test('a lost request says no answer came', () => {
  expect(
    eventWords(
      {
        kind: 'request',
        service: 'crm',
        method: 'GET',
        path: '/x',
        status: null,
        durationMs: 5,
        requestId: null,
        attempt: 1,
        at: 0,
        seq: 1,
      },
      t,
    ),
  ).toBe('CRM GET /x: no answer after 5 ms');
});

test('the filter keeps one kind, newest first', () => {
  const at = { at: 0 };
  const events = [
    { kind: 'queue' as const, move: 'queued' as const, key: 'a', attempts: 1, seq: 1, ...at },
    { kind: 'message' as const, text: 'm', error: null, seq: 2, ...at },
    { kind: 'queue' as const, move: 'done' as const, key: 'a', attempts: 2, seq: 3, ...at },
  ];
  expect(eventsToShow(events, 'queue').map((e) => e.seq)).toEqual([3, 1]);
});
