/** The GUID code is a lazy chunk: one that cannot load fails the track as a retryable network error (queued). */
import { CrmNetworkError } from '../../../src/crm/errors';
import { loadNameUuid } from '../../../src/crm/trackIds';

jest.mock('../../../src/crm/nameUuid', () => {
  throw new Error('Loading chunk track-ids failed.');
});

test('a chunk that cannot load is a retryable CrmNetworkError naming the cause', async () => {
  const failure = await loadNameUuid().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(CrmNetworkError);
  expect((failure as CrmNetworkError).retryable).toBe(true);
  expect((failure as Error).message).toContain('Loading chunk track-ids failed.');
});
