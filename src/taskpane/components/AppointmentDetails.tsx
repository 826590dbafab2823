/**
 * A meeting on the item card (issue 12): when and where, and its organizer and attendees with the CRM
 * records each address resolves (or resolved) to. Names, addresses and places are untrusted text:
 * rendered as React text only.
 */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { AppointmentDetails as Details } from '../../app/itemState';
import type { Formats } from '../../i18n/format';
import { typeLabel } from '../controller/format';
import { usePaneStrings, type PaneKey } from '../strings';
import type { Translate } from '../../i18n/messages';

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: '2px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  line: { margin: 0 },
});

const ROLE = {
  organizer: 'item.roleOrganizer',
  required: 'item.roleRequired',
  optional: 'item.roleOptional',
} as const satisfies Record<string, PaneKey>;

/** UTC, as the workbench and the CRM's stored instants are (chosen: the pane does not guess a time zone). */
function whenText(details: Details, t: Translate<PaneKey>, formats: Formats): string {
  const utc = { timeZone: 'UTC' };
  const day = formats.date(details.start, utc);
  if (details.isAllDayEvent) return t('item.meetingAllDay', { day });
  return t('item.meetingTime', {
    day,
    start: formats.time(details.start, utc),
    end: formats.time(details.end, utc),
  });
}

export function AppointmentDetails({ details }: { readonly details: Details }) {
  const styles = useStyles();
  const { t, formats } = usePaneStrings();
  return (
    <div data-testid="appointment-details">
      <Caption1 as="p" block className={styles.line}>
        {t(details.form === 'organizer' ? 'item.meetingYouOrganize' : 'item.meetingYouAttend')} ·{' '}
        {whenText(details, t, formats)}
        {details.location ? ` · ${details.location}` : ''}
      </Caption1>
      {details.attendees.length > 0 && (
        <>
          <Caption1 as="h3" className={styles.title}>
            {t('item.attendeesInCrm')}
          </Caption1>
          <ul className={styles.list} data-testid="appointment-attendees">
            {details.attendees.map((attendee, i) => (
              <li key={`${attendee.role}:${attendee.address}:${i}`} data-role={attendee.role}>
                <Caption1>
                  {t('item.attendeeLine', {
                    role: t(ROLE[attendee.role]),
                    attendee: attendee.displayName
                      ? `${attendee.displayName} <${attendee.address}>`
                      : attendee.address,
                    records:
                      attendee.records.length === 0
                        ? t('common.notInCrm')
                        : attendee.records
                            .map((r) =>
                              r.name ? `${typeLabel(r.ref.type, t)} ${r.name}` : typeLabel(r.ref.type, t),
                            )
                            .join(', '),
                  })}
                </Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
