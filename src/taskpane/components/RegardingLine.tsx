/** "Regarding <type> <name>" with a link that opens the record in the CRM (new tab). */
import { Body1, makeStyles, tokens } from '@fluentui/react-components';
import type { RecordRef } from '../../rules/types';
import { recordUrl, typeLabel } from '../controller/format';
import { usePaneStrings } from '../strings';

export interface RegardingLineProps {
  readonly regarding: RecordRef | null;
  readonly names: Readonly<Record<string, string>>;
  readonly crmUrl: string;
}

const useStyles = makeStyles({
  link: {
    color: tokens.colorBrandForegroundLink,
    ':hover': { color: tokens.colorBrandForegroundLinkHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

export function RegardingLine({ regarding, names, crmUrl }: RegardingLineProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  if (!regarding) return null;
  const name = names[`${regarding.type}:${regarding.id}`];
  const type = typeLabel(regarding.type, t);
  return (
    <Body1 as="p" block style={{ margin: 0 }} data-testid="item-regarding">
      {name ? t('item.regardingNamed', { type }) : t('item.regardingUnnamed', { type })}{' '}
      <a
        className={styles.link}
        href={recordUrl(crmUrl, regarding)}
        target="_blank"
        rel="noopener noreferrer"
      >
        {name ?? t('item.openInCrm')}
      </a>
    </Body1>
  );
}
