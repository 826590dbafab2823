/**
 * A small tab list (WAI-ARIA tabs, automatic activation): arrow keys, Home and End move between the
 * tabs, only the selected tab is in the Tab order. Used instead of Fluent's TabList, whose animated
 * indicator and focus machinery would cost the pane's initial bundle about 20 KB gzipped.
 */
import { useRef, type KeyboardEvent } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  tab: {
    appearance: 'none',
    border: 'none',
    borderBottom: `${tokens.strokeWidthThicker} solid transparent`,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground2,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    cursor: 'pointer',
    borderRadius: `${tokens.borderRadiusMedium} ${tokens.borderRadiusMedium} 0 0`,
    ':hover': { color: tokens.colorNeutralForeground1, backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
  },
  small: {
    fontSize: tokens.fontSizeBase200,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
  },
  selected: {
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    borderBottomColor: tokens.colorCompoundBrandStroke,
  },
});

export interface TabBarProps<T extends string> {
  readonly tabs: readonly (readonly [T, string])[];
  readonly selected: T;
  readonly onSelect: (value: T) => void;
  readonly label: string;
  /** Tab ids are `${idPrefix}-tab-${value}`; the panel's id is `${idPrefix}-panel`. */
  readonly idPrefix: string;
  readonly size?: 'small' | 'medium';
}

export const tabId = (idPrefix: string, value: string): string => `${idPrefix}-tab-${value}`;
export const panelId = (idPrefix: string): string => `${idPrefix}-panel`;

export function TabBar<T extends string>({
  tabs,
  selected,
  onSelect,
  label,
  idPrefix,
  size,
}: TabBarProps<T>) {
  const styles = useStyles();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const index = Math.max(
    0,
    tabs.findIndex(([value]) => value === selected),
  );
  const move = (to: number) => {
    const next = (to + tabs.length) % tabs.length;
    const tab = tabs[next];
    if (!tab) return;
    onSelect(tab[0]);
    buttons.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const to = keys[event.key];
    if (to === undefined) return;
    event.preventDefault();
    move(to);
  };
  return (
    <div
      role="tablist"
      aria-label={label}
      data-testid={`${idPrefix}-tabs`}
      className={styles.list}
      onKeyDown={onKeyDown}
    >
      {tabs.map(([value, text], i) => {
        const isSelected = value === selected;
        return (
          <button
            key={value}
            ref={(element) => {
              buttons.current[i] = element;
            }}
            type="button"
            role="tab"
            id={tabId(idPrefix, value)}
            aria-selected={isSelected}
            aria-controls={panelId(idPrefix)}
            tabIndex={isSelected ? 0 : -1}
            className={mergeClasses(
              styles.tab,
              size === 'small' && styles.small,
              isSelected && styles.selected,
            )}
            onClick={() => onSelect(value)}
          >
            {text}
          </button>
        );
      })}
    </div>
  );
}
