/** The CrmPort contract against the in-memory FakeCrm the use-case tests use. */
import { FakeCrm, USER_ID } from '../support/fakes';
import { crmPortContract } from './crm-port.contract';

const crm = new FakeCrm();
let serial = 0;

describe('CrmPort contract: FakeCrm', () => {
  crmPortContract(() => ({
    crm,
    userId: USER_ID,
    addContact: async (email, options = {}) => {
      const id = `fake-contact-${(serial += 1)}`;
      crm.records.push({
        type: 'contact',
        id,
        emails: [email, '', ''],
        createdOn: '2025-01-01T00:00:00Z',
        active: options.active ?? true,
        name: options.lastname ?? email.split('@')[0] ?? null,
      });
      return { type: 'contact', id };
    },
    addEmailWithThreadIndex: async (messageId, threadIndex) => {
      const activityId = `fake-email-${(serial += 1)}`;
      crm.tracked.push({
        activityId,
        messageId,
        subject: 'Filled in by Dataverse',
        trackingToken: null,
        threadIndex,
        regarding: null,
        addresses: [],
        trackedBy: null,
        receivedAt: '2026-01-01T00:00:00Z',
      });
      return activityId;
    },
  }));
});
