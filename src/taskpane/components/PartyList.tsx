/** Who the sender and recipients resolved to in the CRM; a sender conflict lists the candidates. */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { Decision } from '../../rules/decide';
import type { RecordRef } from '../../rules/types';
import type { Translate } from '../../i18n/messages';
import { typeLabel } from '../controller/format';
import { usePaneStrings, type PaneKey } from '../strings';

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: '2px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold },
});

const ROLE: Readonly<Record<string, PaneKey>> = { to: 'item.roleTo', cc: 'item.roleCc', bcc: 'item.roleBcc' };

type PaneTranslate = Translate<PaneKey>;

function recordText(ref: RecordRef, names: Readonly<Record<string, string>>, t: PaneTranslate): string {
  const name = names[`${ref.type}:${ref.id}`];
  return name ? `${typeLabel(ref.type, t)} ${name}` : typeLabel(ref.type, t);
}

export interface PartyListProps {
  readonly decision: Decision;
  readonly names: Readonly<Record<string, string>>;
  /** The sender's address (the decision names the record, not the address). */
  readonly senderAddress: string | null;
}

function senderText(decision: Decision, names: Readonly<Record<string, string>>, t: PaneTranslate): string {
  const sender = decision.sender;
  if (!sender) return t('common.notInCrm');
  if (sender.id === null) return t('item.toBeCreated', { type: typeLabel(sender.type, t) });
  return recordText({ type: sender.type, id: sender.id }, names, t);
}

export function PartyList({ decision, names, senderAddress }: PartyListProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const conflict = decision.senderCandidates.length > 1;
  if (decision.parties.length === 0 && !conflict && !senderAddress) return null;
  return (
    <div>
      <Caption1 as="h3" className={styles.title}>
        {t('item.peopleInCrm')}
      </Caption1>
      <ul className={styles.list} aria-label={t('item.peopleInCrm')}>
        {senderAddress && (
          <li>
            <Caption1>
              {t('item.senderLine', {
                address: senderAddress,
                records: conflict
                  ? t('item.recordCount', { count: decision.senderCandidates.length })
                  : senderText(decision, names, t),
              })}
            </Caption1>
          </li>
        )}
        {decision.parties.map((party, i) => (
          <li key={`${party.role}:${party.address}:${i}`}>
            <Caption1>
              {t('item.partyLine', {
                role: ROLE[party.role] ? t(ROLE[party.role] as PaneKey) : party.role,
                address: party.address,
                records:
                  party.records.length === 0
                    ? t('common.notInCrm')
                    : party.records.map((r) => recordText(r, names, t)).join(', '),
              })}
            </Caption1>
          </li>
        ))}
      </ul>
      {conflict && (
        <>
          <Caption1 as="h3" className={styles.title}>
            {t('item.senderMatches', { count: decision.senderCandidates.length })}
          </Caption1>
          <ul className={styles.list} aria-label={t('item.senderCandidates')}>
            {decision.senderCandidates.map((ref) => (
              <li key={`${ref.type}:${ref.id}`}>
                <Caption1>{recordText(ref, names, t)}</Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
