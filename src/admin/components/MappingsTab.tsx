/**
 * The synchronized fields: each mapping's direction, offering only the directions the mapping allows.
 * Fields, record types and directions in the words of the pane's Options › Synchronization table.
 */
import {
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import type { MappingDirection } from '../../rules/syncTypes';
import { mappingKey } from '../adminModel';
import { crmFieldLabel, directionLabel, entityLabel, outlookFieldLabel } from '../fieldWords';
import { useAdminStrings } from '../strings';
import type { TabProps } from './tabProps';

export function MappingsTab({ view, actions }: TabProps) {
  const { t } = useAdminStrings();
  const { mappings } = view.snapshot;
  if (mappings.length === 0) return <p>{t('admin.mappingsEmpty')}</p>;
  return (
    <>
      <p>{t('admin.mappingsIntro')}</p>
      <Table size="small" aria-label={t('admin.tabSynchronization')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('admin.mappingRecordType')}</TableHeaderCell>
            <TableHeaderCell>{t('sync.crmField')}</TableHeaderCell>
            <TableHeaderCell>{t('sync.outlookField')}</TableHeaderCell>
            <TableHeaderCell>{t('sync.direction')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {mappings.map((mapping) => {
            const key = mappingKey(mapping);
            const direction = view.draft.directions[key] ?? mapping.direction;
            // A stored direction outside what is allowed (written by another tool) is still shown.
            const options = mapping.allowed.includes(direction)
              ? mapping.allowed
              : [direction, ...mapping.allowed];
            return (
              <TableRow key={key} data-mapping={key}>
                <TableCell>{entityLabel(t, mapping.entity)}</TableCell>
                <TableCell>{crmFieldLabel(t, mapping)}</TableCell>
                <TableCell>{outlookFieldLabel(t, mapping)}</TableCell>
                <TableCell>
                  <Select
                    aria-label={`${t('sync.direction')}: ${entityLabel(t, mapping.entity)}, ${crmFieldLabel(t, mapping)}`}
                    value={direction}
                    disabled={view.readOnly || mapping.allowed.length < 2}
                    onChange={(_, data) => actions.setDirection(mapping, data.value as MappingDirection)}
                  >
                    {options.map((d) => (
                      <option key={d} value={d}>
                        {directionLabel(t, d)}
                      </option>
                    ))}
                  </Select>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}
