/**
 * The pane: title, the current item (subject and sender), and the CRM connection state.
 * Holds no business logic and never touches Office: it gets plain functions as props.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  FluentProvider,
  Spinner,
  Title3,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import type { CurrentItem } from '../mailbox/currentItem';
import type { ThemeKind } from '../mailbox/host';
import { ItemSummary } from './ItemSummary';
import { ConnectionStatus } from './ConnectionStatus';
import { ErrorNotice } from './ErrorNotice';

export interface AppProps {
  readonly theme: ThemeKind;
  readonly readItem: () => Promise<CurrentItem | null>;
  /** Registers a listener for item changes (pinned pane); may reject, the pane then says so. */
  readonly subscribeItemChanged: (listener: () => void) => Promise<void>;
}

export type ItemState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly item: CurrentItem | null }
  | { readonly status: 'failed'; readonly message: string };

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function App({ theme, readItem, subscribeItemChanged }: AppProps) {
  const [state, setState] = useState<ItemState>({ status: 'loading' });

  const refresh = useCallback(() => {
    readItem().then(
      (item) => setState({ status: 'ready', item }),
      (error: unknown) => setState({ status: 'failed', message: messageOf(error) }),
    );
  }, [readItem]);

  useEffect(() => {
    refresh();
    subscribeItemChanged(refresh).catch((error: unknown) =>
      setState({
        status: 'failed',
        message: `The pane will not follow the selected email: ${messageOf(error)}`,
      }),
    );
  }, [refresh, subscribeItemChanged]);

  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme}>
      <PaneView state={state} />
    </FluentProvider>
  );
}

/** The pane for one state; pure, so it renders the same in tests. */
export function PaneView({ state }: { readonly state: ItemState }) {
  const styles = useStyles();
  return (
    <main className={styles.root}>
      <Title3 as="h1">Track in CRM</Title3>
      {state.status === 'loading' && <Spinner size="small" label="Reading the email…" />}
      {state.status === 'ready' && <ItemSummary item={state.item} />}
      {state.status === 'failed' && <ErrorNotice message={state.message} />}
      <ConnectionStatus connected={false} />
    </main>
  );
}
