/** The synchronized fields: each mapping's direction, offering only the directions the mapping allows. */
import {
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import type { MappingDirection, SyncEntity } from '../../rules/syncTypes';
import { mappingKey } from '../adminModel';
import { useAdminStrings, type AdminKey } from '../strings';
import type { TabProps } from './tabProps';

const DIRECTION_WORDS: Readonly<Record<MappingDirection, AdminKey>> = {
  none: 'admin.directionNone',
  toOutlook: 'admin.directionToOutlook',
  toCrm: 'admin.directionToCrm',
  both: 'admin.directionBoth',
};
const ENTITY_WORDS: Readonly<Record<SyncEntity, AdminKey>> = {
  contact: 'admin.entityContact',
  appointment: 'admin.entityAppointment',
  task: 'admin.entityTask',
};

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
            <TableHeaderCell>{t('admin.mappingCrmField')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.mappingOutlookField')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.mappingDirection')}</TableHeaderCell>
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
                <TableCell>{t(ENTITY_WORDS[mapping.entity])}</TableCell>
                <TableCell>
                  <code>{mapping.crmAttribute}</code>
                </TableCell>
                <TableCell>
                  <code>{mapping.exchangeProperty}</code>
                </TableCell>
                <TableCell>
                  <Select
                    aria-label={`${t('admin.mappingDirection')}: ${mapping.crmAttribute} / ${mapping.exchangeProperty}`}
                    value={direction}
                    disabled={view.readOnly || mapping.allowed.length < 2}
                    onChange={(_, data) => actions.setDirection(mapping, data.value as MappingDirection)}
                  >
                    {options.map((d) => (
                      <option key={d} value={d}>
                        {t(DIRECTION_WORDS[d])}
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
