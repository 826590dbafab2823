/** Office.js callbacks as promises: a Failed AsyncResult becomes an OfficeCallError. */

export class OfficeCallError extends Error {
  /** Office's error name (for example `InvalidAttachmentId`), or `Unknown`. */
  readonly officeName: string;
  readonly code: number | null;

  constructor(operation: string, error: Office.Error | undefined) {
    super(`${operation} failed: ${error?.message ?? 'no error detail from Office'}`);
    this.name = 'OfficeCallError';
    this.officeName = error?.name ?? 'Unknown';
    this.code = typeof error?.code === 'number' ? error.code : null;
  }
}

/** Run one Office.js async call and settle with its value. */
export function officeCall<T>(
  operation: string,
  call: (callback: (result: Office.AsyncResult<T>) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      call((result) => {
        if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new OfficeCallError(operation, result.error));
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(`${operation} failed: ${String(error)}`));
    }
  });
}
