/**
 * A DNS server on loopback for the edge tests, standing in for the VPC's: answers A queries (UDP)
 * for the names the test sets, with the TTL it sets, and NXDOMAIN for any other name. It records
 * the names it was asked for, so a test can see when nginx asked again.
 */
import { createSocket } from 'node:dgram';

export interface TestDns {
  /** `127.0.0.1:<port>`, as nginx's resolver directive takes it. */
  readonly address: string;
  /** Answers `name` with `ipv4` from now on, to be kept for `ttlSeconds`; `null` makes it NXDOMAIN. */
  set(name: string, ipv4: string | null, ttlSeconds?: number): void;
  /** The names asked for so far, in order (lower case). */
  queries(): string[];
  close(): Promise<void>;
}

const TYPE_A = 1;
const CLASS_IN = 1;
const NXDOMAIN = 3;

interface Question {
  readonly id: number;
  readonly recursionDesired: boolean;
  readonly name: string;
  readonly type: number;
  /** The question section as received, echoed in the answer. */
  readonly section: Buffer;
}

/** The one question of a query (RFC 1035 4.1), or undefined for anything else. */
function parseQuery(message: Buffer): Question | undefined {
  if (message.length < 12 || message.readUInt16BE(4) !== 1 || (message.readUInt8(2) & 0x80) !== 0) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < message.length) {
    const length = message.readUInt8(at);
    if (length === 0) break;
    if (length > 63) return undefined; // compression never appears in a question
    labels.push(message.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  if (at + 5 > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    recursionDesired: (message.readUInt8(2) & 0x01) === 1,
    name: labels.join('.').toLowerCase(),
    type: message.readUInt16BE(at + 1),
    section: message.subarray(12, at + 5),
  };
}

function header(id: number, recursionDesired: boolean, rcode: number, answers: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(id, 0);
  // QR (a response), RD as asked, RA (recursion available, as a resolver says), the rcode.
  bytes.writeUInt16BE(0x8000 | (recursionDesired ? 0x0100 : 0) | 0x0080 | rcode, 2);
  bytes.writeUInt16BE(1, 4);
  bytes.writeUInt16BE(answers, 6);
  return bytes;
}

function answerA(ipv4: string, ttlSeconds: number): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(ttlSeconds, 6);
  record.writeUInt16BE(4, 10);
  ipv4.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
  return record;
}

export async function startDns(): Promise<TestDns> {
  const records = new Map<string, { ipv4: string; ttlSeconds: number }>();
  const asked: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (message, from) => {
    const question = parseQuery(message);
    if (!question) return; // not a query this server understands: left unanswered, as by a resolver that drops it
    asked.push(question.name);
    const record = records.get(question.name);
    const { id, recursionDesired, section } = question;
    let reply: Buffer;
    if (!record) reply = Buffer.concat([header(id, recursionDesired, NXDOMAIN, 0), section]);
    else if (question.type !== TYPE_A) reply = Buffer.concat([header(id, recursionDesired, 0, 0), section]);
    else reply = Buffer.concat([header(id, recursionDesired, 0, 1), section, answerA(record.ipv4, record.ttlSeconds)]);
    socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    set: (name, ipv4, ttlSeconds = 60) => {
      if (ipv4 === null) records.delete(name.toLowerCase());
      else records.set(name.toLowerCase(), { ipv4, ttlSeconds });
    },
    queries: () => [...asked],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
