/**
 * A draft marked here with a chosen regarding record, selected again after another email: the card's
 * regarding line names the record as its message does, instead of "(open in the CRM)".
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { PaneActions } from '../../src/taskpane/actions';
import { ItemCard } from '../../src/taskpane/components/ItemCard';
import type { ItemView } from '../../src/taskpane/controller/types';
import { settledOn, until, useRig, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const NO_ACTIONS = new Proxy({} as PaneActions, { get: () => () => undefined });

const cardHtml = (item: ItemView) =>
  renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <ItemCard
        item={item}
        crmUrl="https://contoso.crm.dynamics.com"
        busy={null}
        search={{ open: false, query: '', status: 'idle', hits: [], message: null }}
        actions={NO_ACTIONS}
        onOpenConnection={() => undefined}
      />
    </FluentProvider>,
  );

test('selected again, a draft marked regarding a record chosen here names it on its card and in its message', async () => {
  rig.emu.db
    .prepare('update organization set orgdborgsettings = ?')
    .run('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
  const pane = rig.make();
  await rig.sim.mailbox.select(null);
  await pane.start();
  const draft = await rig.sim.mailbox.openCompose('newMail');
  await until(pane, (s) => s.item.kind === 'compose');
  await pane.trackDraft();
  pane.search('Fabrikam');
  const found = await until(pane, (s) => s.search.status === 'done' && s.search.hits.length > 0);
  const hit = found.search.hits.find((h) => h.type === 'account') ?? found.search.hits[0]!;
  await pane.chooseRegarding(hit);
  expect(pane.getState().item).toMatchObject({ kind: 'compose', regardingName: hit.name });

  await rig.sim.mailbox.select(rig.ids.pricing);
  await until(pane, settledOn(rig.ids.pricing));
  await rig.sim.mailbox.select(draft.id);
  const again = await until(pane, (s) => s.item.kind === 'compose');

  expect(again.item).toMatchObject({
    kind: 'compose',
    regardingName: hit.name,
    state: {
      marked: true,
      mark: { regarding: { type: hit.type, id: hit.id } },
      message: `Will be tracked in the CRM when sent, regarding ${hit.name}.`,
    },
  });
  const html = cardHtml(again.item);
  expect(html).toContain(`>${hit.name}</a>`);
  expect(html).not.toContain('(open in the CRM)');
});

test('a draft marked without a regarding record: selected again, no name is given to its card', async () => {
  const pane = rig.make();
  await rig.sim.mailbox.select(null);
  await pane.start();
  const draft = await rig.sim.mailbox.openCompose('newMail');
  await until(pane, (s) => s.item.kind === 'compose');
  await pane.trackDraft();
  expect(pane.getState().item).toMatchObject({
    kind: 'compose',
    state: { marked: true, mark: { regarding: null } },
  });

  await rig.sim.mailbox.select(rig.ids.pricing);
  await until(pane, settledOn(rig.ids.pricing));
  await rig.sim.mailbox.select(draft.id);
  const again = await until(pane, (s) => s.item.kind === 'compose');

  expect(again.item).toMatchObject({ kind: 'compose', regardingName: null, state: { marked: true } });
  expect(cardHtml(again.item)).not.toContain('Regarding');
});
