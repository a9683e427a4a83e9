// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

/**
 * The project's own certificate authority for local HTTPS: created once in the local data folder
 * (never committed), then reused, so a developer trusts it once (NODE_EXTRA_CA_CERTS, the OS store)
 * and every server certificate issued from it afterwards is trusted too.
 */

type CryptoKey = webcrypto.CryptoKey;

// The library takes the Web Crypto API of the platform it runs on; Node's is node:crypto's webcrypto.
x509.cryptoProvider.set(webcrypto as never);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { ...KEY_ALGORITHM, hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3_600_000;
/** Two years: long enough to trust once per project, short enough that a leaked key does not outlive it by much. */
const CA_LIFETIME_DAYS = 730;
/** Clients refuse server certificates valid for longer (CA/Browser Forum limit). */
const SERVER_LIFETIME_DAYS = 397;

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
/** The names a local server certificate covers. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export interface LocalCa {
  /** The CA certificate's file: what NODE_EXTRA_CA_CERTS (or an OS trust store) is given. */
  readonly certFile: string;
  readonly certPem: string;
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

export interface ServerCertificate {
  /** PEM: the server certificate followed by the CA's, as a TLS server sends its chain. */
  readonly cert: string;
  /** PEM, PKCS#8. */
  readonly key: string;
}

/** The local CA kept in `dir`, created there first when it does not exist yet. */
export async function ensureLocalCa(dir: string, now: Date = new Date()): Promise<LocalCa> {
  if (!fs.existsSync(path.join(dir, CA_CERT_FILE))) await createCa(dir, now);
  const ca = await loadCa(dir);
  if (ca.certificate.notAfter.getTime() <= now.getTime()) {
    throw new Error(`The local CA in ${dir} expired on ${ca.certificate.notAfter.toISOString()}; delete that folder to create a new one (and trust the new one).`);
  }
  return ca;
}

/**
 * Writes a new CA into a private temporary folder, then renames it into place: two processes that
 * start at once (parallel tests, two terminals) end up with one CA, the first one renamed.
 */
async function createCa(dir: string, now: Date): Promise<void> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=graph-calls-media-service local CA (${new Date(now).toISOString().slice(0, 10)}), O=graph-calls-media-service development`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS),
    keys: keys as never,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      loopbackOnly(),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.new-`);
  fs.writeFileSync(path.join(staging, CA_CERT_FILE), certificate.toString('pem') + '\n');
  fs.writeFileSync(path.join(staging, CA_KEY_FILE), x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n', { mode: 0o600 });
  try {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    fs.renameSync(staging, dir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another process created it between our look and our rename: use theirs.
    if (!fs.existsSync(path.join(dir, CA_CERT_FILE))) throw error;
  }
}

async function loadCa(dir: string): Promise<LocalCa> {
  const certFile = path.join(dir, CA_CERT_FILE);
  const certPem = fs.readFileSync(certFile, 'utf8');
  const keyPem = fs.readFileSync(path.join(dir, CA_KEY_FILE), 'utf8');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), KEY_ALGORITHM, false, ['sign']);
  return { certFile, certPem, certificate: new x509.X509Certificate(certPem), privateKey: privateKey as CryptoKey };
}

/** A fresh server certificate for `hosts` (DNS names or IP literals), signed by the CA. */
export async function issueServerCertificate(ca: LocalCa, hosts: readonly string[] = LOCAL_HOSTS, now: Date = new Date()): Promise<ServerCertificate> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const names = hosts.map((h) => (isIpLiteral(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  const notAfter = Math.min(now.getTime() + SERVER_LIFETIME_DAYS * DAY_MS, ca.certificate.notAfter.getTime());
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${hosts[0] ?? 'localhost'}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey as never,
    signingKey: ca.privateKey as never,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: `${certificate.toString('pem')}\n${ca.certPem.trim()}\n`, key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n' };
}

/** A positive 128-bit serial: random, as RFC 5280 recommends, with the sign bit clear. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/**
 * Name constraints (critical): the CA vouches only for localhost and the loopback addresses, so
 * trusting it cannot let anyone who copies its key impersonate any other site to this machine.
 */
function loopbackOnly(): x509.Extension {
  const permitted = [new GeneralName({ dNSName: 'localhost' }), new GeneralName({ iPAddress: '127.0.0.0/8' }), new GeneralName({ iPAddress: '::1/128' })];
  const constraints = new NameConstraints({ permittedSubtrees: new GeneralSubtrees(permitted.map((base) => new GeneralSubtree({ base }))) });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(constraints));
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}
