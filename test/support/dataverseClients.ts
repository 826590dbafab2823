/**
 * The two ways the Dataverse contract suites speak to the emulator besides our own adapter: a client we
 * did not write (dynamics-web-api), and plain fetch where the client hides what is checked.
 */
import { DynamicsWebApi } from 'dynamics-web-api';
import type { Emulator } from '../../emulator/server';

/** dynamics-web-api v2 on the emulator's organization (any token: the emulator checks none). */
export function dynamicsWebApiOn(emu: Emulator): DynamicsWebApi {
  return new DynamicsWebApi({
    serverUrl: emu.url.replace(/\/api\/data\/v9\.2$/, ''),
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => 'token',
  });
}

/** A plain request to the Web API; the answer's JSON (`{}` when empty or not JSON, e.g. $metadata's XML) and text. */
export async function dataverseCall<Json>(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Json; text: string }> {
  const res = await fetch(`${emu.url}/${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = {} as Json;
  try {
    if (text !== '') json = JSON.parse(text) as Json;
  } catch {
    // $metadata is XML
  }
  return { status: res.status, json, text };
}
