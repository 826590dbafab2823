/** A polite live region: screen readers hear each status change once. */
import { useVisuallyHidden } from './visuallyHidden';

export function StatusAnnouncer({ text }: { readonly text: string }) {
  const styles = useVisuallyHidden();
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
