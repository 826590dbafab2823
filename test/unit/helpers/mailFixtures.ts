/** Paths to the mail fixtures copied verbatim into test/fixtures/mail (see its SOURCES.md). */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

export const MAIL_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'mail');
export const EML_DIR = join(MAIL_FIXTURES, 'eml');

export function emlNames(): string[] {
  return readdirSync(EML_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort();
}

/** The .eml file's bytes (raw 8-bit header bytes kept). */
export function emlBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(EML_DIR, name)));
}

/** The .eml file as text (latin1, so every byte maps to one character). */
export function emlLatin1(name: string): string {
  return readFileSync(join(EML_DIR, name), 'latin1');
}

export function emlUtf8(name: string): string {
  return readFileSync(join(EML_DIR, name), 'utf8');
}

export interface ConversationIndexVector {
  name: string;
  hex: string;
  base64: string;
  expected: {
    guid: string;
    responseLevels: Array<{
      deltaCode: number;
      timeDeltaDecimal: number;
      randomDecimal: number;
      responseLevelDecimal: number;
    }>;
  };
  derived: {
    byteLength: number;
    childBlockCount: number;
    guidFromBytes6to21: string;
    specHeaderFileTime: string;
    specHeaderUtc: string;
    childBlocks: Array<{
      deltaCode: number;
      timeDelta: number;
      delta100ns: number;
      random: number;
      level: number;
      cumulativeUtc: string;
    }>;
  };
}

export function conversationIndexVectors(): ConversationIndexVector[] {
  return JSON.parse(
    readFileSync(join(MAIL_FIXTURES, 'conversation-index', 'vectors.json'), 'utf8'),
  ) as ConversationIndexVector[];
}

export interface ThreadableSubjectCase {
  input: string;
  expectedSubject: string;
  expectedReplyDepth: number;
  assertIds: string[];
}

export function threadableSubjectCases(): ThreadableSubjectCase[] {
  return (
    JSON.parse(readFileSync(join(MAIL_FIXTURES, 'threading', 'threadable-subject-cases.json'), 'utf8')) as {
      cases: ThreadableSubjectCase[];
    }
  ).cases;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
