/**
 * Signing certificates the tests make (node-forge): a PKCS#12 file with a fresh key and a self-signed certificate,
 * valid when and for what the test says (an expired one, one without a signing key usage).
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A PKCS#12 file with a fresh key and a self-signed certificate. */
export function makeP12(o: { from: string; to: string; keyUsage: Record<string, boolean> }, passphrase = 'mật-khẩu') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(o.from);
  cert.validity.notAfter = new Date(o.to);
  const name = [
    { name: 'commonName', value: 'UBND phuong Chieng Le' },
    { name: 'countryName', value: 'VN' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', ...o.keyUsage },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  return { p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), passphrase, key, cert };
}
