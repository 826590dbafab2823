/** Who the sender and recipients resolved to in the CRM; a sender conflict lists the candidates. */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { Decision } from '../../rules/decide';
import type { RecordRef } from '../../rules/types';
import { typeLabel } from '../controller/format';

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: '2px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold },
});

const ROLE: Record<string, string> = { to: 'To', cc: 'Cc', bcc: 'Bcc' };

function recordText(ref: RecordRef, names: Readonly<Record<string, string>>): string {
  const name = names[`${ref.type}:${ref.id}`];
  return name ? `${typeLabel(ref.type)} ${name}` : typeLabel(ref.type);
}

export interface PartyListProps {
  readonly decision: Decision;
  readonly names: Readonly<Record<string, string>>;
  /** The sender's address (the decision names the record, not the address). */
  readonly senderAddress: string | null;
}

function senderText(decision: Decision, names: Readonly<Record<string, string>>): string {
  const sender = decision.sender;
  if (!sender) return 'not in the CRM';
  if (sender.id === null) return `${typeLabel(sender.type)} to be created when tracked`;
  return recordText({ type: sender.type, id: sender.id }, names);
}

export function PartyList({ decision, names, senderAddress }: PartyListProps) {
  const styles = useStyles();
  const conflict = decision.senderCandidates.length > 1;
  if (decision.parties.length === 0 && !conflict && !senderAddress) return null;
  return (
    <div>
      <Caption1 as="h3" className={styles.title}>
        People in the CRM
      </Caption1>
      <ul className={styles.list} aria-label="People in the CRM">
        {senderAddress && (
          <li>
            <Caption1>
              From {senderAddress}:{' '}
              {conflict ? `${decision.senderCandidates.length} records` : senderText(decision, names)}
            </Caption1>
          </li>
        )}
        {decision.parties.map((party, i) => (
          <li key={`${party.role}:${party.address}:${i}`}>
            <Caption1>
              {ROLE[party.role] ?? party.role} {party.address}:{' '}
              {party.records.length === 0
                ? 'not in the CRM'
                : party.records.map((r) => recordText(r, names)).join(', ')}
            </Caption1>
          </li>
        ))}
      </ul>
      {conflict && (
        <>
          <Caption1 as="h3" className={styles.title}>
            The sender matches {decision.senderCandidates.length} records
          </Caption1>
          <ul className={styles.list} aria-label="Sender candidates">
            {decision.senderCandidates.map((ref) => (
              <li key={`${ref.type}:${ref.id}`}>
                <Caption1>{recordText(ref, names)}</Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
