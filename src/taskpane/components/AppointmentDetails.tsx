/**
 * A meeting on the item card (issue 12): when and where, and its organizer and attendees with the CRM
 * records each address resolves (or resolved) to. Names, addresses and places are untrusted text:
 * rendered as React text only.
 */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { AppointmentDetails as Details } from '../../app/itemState';
import { typeLabel } from '../controller/format';

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: '2px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  line: { margin: 0 },
});

const ROLE = { organizer: 'Organizer', required: 'Required', optional: 'Optional' } as const;

/** UTC, as the workbench and the CRM's stored instants are (chosen: the pane does not guess a time zone). */
function whenText(details: Details): string {
  const day = (iso: string) =>
    new Date(iso).toLocaleDateString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  if (details.isAllDayEvent) return `${day(details.start)}, all day`;
  return `${day(details.start)}, ${time(details.start)}–${time(details.end)} UTC`;
}

export function AppointmentDetails({ details }: { readonly details: Details }) {
  const styles = useStyles();
  return (
    <div data-testid="appointment-details">
      <Caption1 as="p" block className={styles.line}>
        {details.form === 'organizer' ? 'Meeting you organize' : 'Meeting you attend'} · {whenText(details)}
        {details.location ? ` · ${details.location}` : ''}
      </Caption1>
      {details.attendees.length > 0 && (
        <>
          <Caption1 as="h3" className={styles.title}>
            Attendees in the CRM
          </Caption1>
          <ul className={styles.list} data-testid="appointment-attendees">
            {details.attendees.map((attendee, i) => (
              <li key={`${attendee.role}:${attendee.address}:${i}`} data-role={attendee.role}>
                <Caption1>
                  {ROLE[attendee.role]}:{' '}
                  {attendee.displayName ? `${attendee.displayName} <${attendee.address}>` : attendee.address}
                  {' — '}
                  {attendee.records.length === 0
                    ? 'not in the CRM'
                    : attendee.records
                        .map((r) => (r.name ? `${typeLabel(r.ref.type)} ${r.name}` : typeLabel(r.ref.type)))
                        .join(', ')}
                </Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
