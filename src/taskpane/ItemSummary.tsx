/** Subject and sender of the current item, rendered as text (never as HTML). */
import { Caption1, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { CurrentItem } from '../mailbox/currentItem';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, wordBreak: 'break-word' },
});

export function ItemSummary({ item }: { readonly item: CurrentItem | null }) {
  const styles = useStyles();
  if (!item) {
    return <Text>No email selected. Select an email to see its tracking status.</Text>;
  }
  const sender = item.sender;
  return (
    <section className={styles.root} aria-label="Current email">
      <Subtitle2>{item.subject.trim() === '' ? '(no subject)' : item.subject}</Subtitle2>
      <Caption1>
        {item.mode === 'compose' ? 'Draft from ' : 'From '}
        {sender ? (sender.name ? `${sender.name} <${sender.address}>` : sender.address) : 'an unknown sender'}
      </Caption1>
    </section>
  );
}
