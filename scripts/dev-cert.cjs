'use strict';
/**
 * A certificate for https://localhost:3000 without prompts or root: generated with the `selfsigned`
 * package into .cert/ the first time the dev server starts (and again when it is within 7 days of
 * expiry). Nothing is installed into any trust store; README.md says how to trust it by hand.
 *
 * office-addin-dev-certs is not used: it installs a CA into the system trust store, which needs an
 * interactive confirmation or root, and would not work in CI or in a container.
 */
const fs = require('node:fs');
const path = require('node:path');
const { X509Certificate } = require('node:crypto');

const CERT_DIR = path.resolve(__dirname, '..', '.cert');
const KEY_FILE = path.join(CERT_DIR, 'localhost.key');
const CERT_FILE = path.join(CERT_DIR, 'localhost.crt');
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

function usable(certPem) {
  try {
    const cert = new X509Certificate(certPem);
    return (
      Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS && cert.checkHost('localhost') === 'localhost'
    );
  } catch {
    return false;
  }
}

/** @returns {Promise<{ key: string, cert: string, certFile: string, created: boolean }>} */
async function ensureDevCertificate() {
  if (fs.existsSync(KEY_FILE) && fs.existsSync(CERT_FILE)) {
    const cert = fs.readFileSync(CERT_FILE, 'utf8');
    if (usable(cert))
      return { key: fs.readFileSync(KEY_FILE, 'utf8'), cert, certFile: CERT_FILE, created: false };
  }
  const selfsigned = require('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 60 * 60 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.mkdirSync(CERT_DIR, { recursive: true });
  fs.writeFileSync(KEY_FILE, pems.private, { mode: 0o600 });
  fs.writeFileSync(CERT_FILE, pems.cert);
  return { key: pems.private, cert: pems.cert, certFile: CERT_FILE, created: true };
}

module.exports = { ensureDevCertificate, CERT_DIR, CERT_FILE, KEY_FILE };
