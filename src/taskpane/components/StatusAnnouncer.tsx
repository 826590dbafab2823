/** A polite live region: screen readers hear each status change once. */
import { makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

export function StatusAnnouncer({ text }: { readonly text: string }) {
  const styles = useStyles();
  return (
    <div
      className={styles.hidden}
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="announcer"
    >
      {text}
    </div>
  );
}
