/** The diagnostics views rendered to HTML (no browser): Why?, the log and its words, all as text. */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';
import { englishPaneStrings } from '../../../src/i18n/surfaces';
import { CaseCopy } from '../../../src/taskpane/components/CaseCopy';
import { DiagnosticsScreen } from '../../../src/taskpane/components/DiagnosticsScreen';
import { WhyView } from '../../../src/taskpane/components/WhyView';
import { eventsToShow, eventWords } from '../../../src/taskpane/controller/diagnosticsWords';
import { decisionWith } from '../../support/decisions';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const { t } = englishPaneStrings;
const quiet = { log: () => undefined };

test('Why? lists each step under its plain title with its detail', () => {
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
  expect(html).toContain(t('diagnostics.stepIncoming1'));
  expect(html).toContain('no tracked email has Message-ID &lt;a@x&gt;');
  expect(html).toContain(t('diagnostics.stepDecision'));
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
