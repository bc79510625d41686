/**
 * A letter signed with the organisation's certificate, verified by an independent tool (poppler's pdfsig): the
 * signature is valid and covers the whole document; a byte changed afterwards breaks it. Certificates the test makes
 * (node-forge): expired, or without a signing key usage, are refused with a 422 naming why. An external signer
 * (hand out the digest, take back a CMS) gives a signature pdfsig accepts the same way.
 */
import forge from 'node-forge';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { pdfSig } from '../support/poppler.js';
import { signPdf } from '../../src/pdf/sign.js';
import { makeP12 } from '../support/certificates.js';

let t: TestApp;
const NOW = Date.parse('2025-03-19T16:00:00+07:00');

const valid = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { digitalSignature: true, nonRepudiation: true } });

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  const res = await request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send([
      ev.received('SIG-1', '2025-03-17T10:00:00+07:00', { applicant: { name: 'Quàng Thị Lan', address: 'Bản Hài, phường Chiềng Lề' } }),
      ev.of('apology_issued', 'SIG-1', '2025-03-19T15:00:00+07:00', { reason: 'Cần lấy ý kiến Công an tỉnh.', newDueAt: '2025-03-25T16:30:00+07:00' }),
    ]);
  expect(res.status).toBe(201);
});
afterAll(async () => t?.close());

const sign = (key = t.keys.supervisor) =>
  request(t.app)
    .post('/letters/SIG-1/apology/signed.pdf')
    .set('Authorization', `Bearer ${key}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });

test('the signed apology verifies with pdfsig over the whole document; one byte changed afterwards does not', async () => {
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  const res = await sign();
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
  const signed = res.body as Buffer;
  const check = await pdfSig(signed);
  expect(check.out).toContain('Signature Validation: Signature is Valid.');
  expect(check.out).toContain('Signer Certificate Common Name: UBND phuong Chieng Le');
  expect(check.out).toContain('Total document signed');
  // Altered after signing: one byte of the letter's first object (inside the signed byte range).
  const altered = Buffer.from(signed);
  const at = altered.indexOf('/Title');
  altered[at + 9] = altered[at + 9]! ^ 0x01;
  const broken = await pdfSig(altered);
  expect(broken.out).not.toContain('Signature is Valid.');
  expect(broken.out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
});

test('an expired certificate, or one without a signing key usage, is a 422 naming why; a counter cannot sign', async () => {
  const expired = makeP12({ from: '2023-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z', keyUsage: { digitalSignature: true } });
  t.ctx.signing = { p12: expired.p12, passphrase: expired.passphrase };
  const e = await sign();
  const body = JSON.parse((e.body as Buffer).toString('utf8'));
  expect([e.status, body.errors]).toEqual([422, [{ path: 'certificate', message: 'expired' }]]);
  expect(body.detail).toContain('expired on 2025-02-01');

  const encipherOnly = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { keyEncipherment: true } });
  t.ctx.signing = { p12: encipherOnly.p12, passphrase: encipherOnly.passphrase };
  const u = await sign();
  expect([u.status, JSON.parse((u.body as Buffer).toString('utf8')).errors]).toEqual([422, [{ path: 'certificate', message: 'no_digital_signature_usage' }]]);

  t.ctx.signing = { p12: valid.p12, passphrase: 'wrong' };
  const w = await sign();
  expect([w.status, JSON.parse((w.body as Buffer).toString('utf8')).errors]).toEqual([422, [{ path: 'certificate', message: 'unreadable' }]]);

  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  expect((await sign(t.keys.counter)).status).toBe(403);
  t.ctx.signing = undefined;
  expect((await sign()).status).toBe(503);
});

test('the external-signer interface: the digest handed out, a detached CMS taken back, verified by pdfsig', async () => {
  const letter = await request(t.app)
    .get('/letters/SIG-1/apology.pdf')
    .set('Authorization', `Bearer ${t.keys.auditor}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const digests: string[] = [];
  // Playing the token or the remote service: it sees only the SHA-256 digest and answers a detached CMS SignedData
  // (RFC 5652) whose signed attributes carry it, built here by hand with forge's ASN.1 (forge's own signer hashes content).
  const { asn1, pki } = forge;
  const seq = (...v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
  const set = (...v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
  const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
  const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
  const int = (hex: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
  const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
  const sha256Id = () => seq(oid(pki.oids.sha256!), nul());
  const external = {
    async signDigest(sha256: Buffer) {
      digests.push(sha256.toString('hex'));
      // DER orders a SET OF by encoding: contentType, signingTime, messageDigest (shortest first here).
      const attrs = [
        seq(oid(pki.oids.contentType!), set(oid(pki.oids.data!))),
        seq(oid(pki.oids.signingTime!), set(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(NOW))))),
        seq(oid(pki.oids.messageDigest!), set(octets(sha256.toString('binary')))),
      ];
      const md = forge.md.sha256.create().update(asn1.toDer(set(...attrs)).getBytes());
      const signerInfo = seq(
        int('01'),
        seq(pki.distinguishedNameToAsn1(valid.cert.issuer), int(valid.cert.serialNumber)),
        sha256Id(),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
        seq(oid(pki.oids.rsaEncryption!), nul()),
        octets((valid.key as forge.pki.rsa.PrivateKey).sign(md)),
      );
      const signedData = seq(
        int('01'),
        set(sha256Id()),
        seq(oid(pki.oids.data!)),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [pki.certificateToAsn1(valid.cert)]),
        set(signerInfo),
      );
      const contentInfo = seq(oid(pki.oids.signedData!), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]));
      return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary');
    },
  };
  const signed = await signPdf(letter.body as Buffer, external, {
    reason: 'Phiếu xin lỗi',
    name: 'UBND phường Chiềng Lề',
    location: 'Sơn La',
    signingTime: new Date(NOW),
  });
  expect(digests).toHaveLength(1);
  expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
  const check = await pdfSig(signed);
  expect(check.out).toContain('Signature Validation: Signature is Valid.');
});
