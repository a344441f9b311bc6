/**
 * Certificates for the edge's https origin tests, made with the openssl command when a test runs
 * (nothing secret or expiring is kept in the repository): a test CA and certificates it signs, or
 * signed by nobody the edge trusts. P-256 keys, valid for a day.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Certificate } from './test-origin';

const OPENSSL = '/usr/bin/openssl';

export interface TestCa extends Certificate {
  /** The CA certificate alone, as a file: the bundle an edge trusts. */
  readonly bundleFile: string;
  /** A certificate for `dnsName`, signed by this CA. */
  issue(dnsName: string): Certificate;
  /** Removes the CA's files. */
  remove(): void;
}

function openssl(args: string[], dir: string): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function createTestCa(commonName: string): TestCa {
  if (!existsSync(OPENSSL))
    throw new Error(`${OPENSSL} is missing: the https origin tests make their certificates with it (apt-get install -y openssl)`);
  const dir = mkdtempSync(join(tmpdir(), 'kubecdn-ca-'));
  openssl(
    [
      'req',
      '-x509',
      ...KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  let serial = 0;
  return {
    cert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    key: readFileSync(join(dir, 'ca.key'), 'utf8'),
    bundleFile: join(dir, 'ca.crt'),
    issue: (dnsName) => {
      const name = `leaf-${++serial}`;
      writeFileSync(
        join(dir, `${name}.ext`),
        `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${dnsName}\n`,
      );
      openssl(['req', '-new', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${dnsName}`], dir);
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-set_serial',
          String(serial),
          '-days',
          '1',
          '-extfile',
          `${name}.ext`,
          '-out',
          `${name}.crt`,
        ],
        dir,
      );
      return { cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
