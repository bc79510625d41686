/**
 * Digital signatures in our PDFs (Decree 130/2018, 23/2025 on digital signatures; the document stays the PDF the
 * letter route sets). A signature field is added to the finished PDF (@signpdf/placeholder-plain: pdfkit's output
 * has a plain cross-reference table), then a detached CMS SignedData over the PDF's byte ranges is written into it,
 * made either with the organisation's PKCS#12 certificate from the environment or by an external signer.
 *
 * The external-signer interface (a USB token at the signer's desk, a remote signing service): we hand out the
 * SHA-256 digest of the byte ranges the signature covers, and take back a DER-encoded detached CMS SignedData whose
 * signed attributes carry that digest as messageDigest (RFC 5652 §11.2), with the signer's certificate; we write it
 * into the placeholder unchanged. See docs/architecture.md, "Signing".
 *
 * The signature is ISO 32000's adbe.pkcs7.detached, the CMS form PAdES builds on. @signpdf/signer-p12 adds no ESS
 * signing-certificate-v2 attribute, which PAdES-B-B asks for: so this is a PDF signature any reader verifies, not yet
 * a PAdES baseline profile.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';

export type CertificateProblem = 'unreadable' | 'not_yet_valid' | 'expired' | 'no_digital_signature_usage';

export class SigningCertificateError extends Error {
  override name = 'SigningCertificateError';
  constructor(
    readonly problem: CertificateProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface SigningCertificate {
  p12: Buffer;
  passphrase: string;
}

/** Hands out the digest of the signed byte ranges, takes back a detached CMS SignedData (DER) over them. */
export interface ExternalSigner {
  signDigest(sha256: Buffer): Promise<Buffer>;
}

/** What a signature says beside the signer's certificate. */
export interface SignatureInfo {
  reason: string;
  name: string;
  location: string;
  contactInfo?: string;
  signingTime: Date;
}

/**
 * The organisation's certificate, checked at the signing instant: readable with its passphrase, valid then, and
 * allowed to make digital signatures (key usage digitalSignature or nonRepudiation, RFC 5280 §4.2.1.3; a certificate
 * without the extension is not restricted). Each refusal names why.
 */
export function checkCertificate(cert: SigningCertificate, atMs: number): { subject: string; notAfter: Date } {
  let x509: forge.pki.Certificate | undefined;
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(cert.p12.toString('binary'))), cert.passphrase);
    x509 = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]?.[0]?.cert ?? undefined;
  } catch {
    x509 = undefined;
  }
  if (!x509)
    throw new SigningCertificateError(
      'unreadable',
      'The signing certificate cannot be read with its passphrase (a PKCS#12 file with a certificate and its key).',
    );
  const subject = x509.subject.getField('CN')?.value ?? x509.subject.attributes.map((a) => a.value).join(', ');
  if (atMs < x509.validity.notBefore.getTime())
    throw new SigningCertificateError('not_yet_valid', `The signing certificate "${subject}" is valid only from ${x509.validity.notBefore.toISOString()}.`);
  if (atMs > x509.validity.notAfter.getTime())
    throw new SigningCertificateError('expired', `The signing certificate "${subject}" expired on ${x509.validity.notAfter.toISOString()}.`);
  const usage = x509.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation)
    throw new SigningCertificateError(
      'no_digital_signature_usage',
      `The signing certificate "${subject}" is not allowed to sign: its key usage has neither digitalSignature nor nonRepudiation.`,
    );
  return { subject, notAfter: x509.validity.notAfter };
}

class DigestSigner extends Signer {
  constructor(private readonly external: ExternalSigner) {
    super();
  }
  override async sign(bytes: Buffer): Promise<Buffer> {
    return this.external.signDigest(createHash('sha256').update(bytes).digest());
  }
}

/** The PDF with a signature: the organisation's certificate (checked first), or an external signer. */
export async function signPdf(pdf: Buffer, by: SigningCertificate | ExternalSigner, info: SignatureInfo): Promise<Buffer> {
  const signer =
    'signDigest' in by ? new DigestSigner(by) : (checkCertificate(by, info.signingTime.getTime()), new P12Signer(by.p12, { passphrase: by.passphrase }));
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: info.reason,
    contactInfo: info.contactInfo ?? '',
    name: info.name,
    location: info.location,
    signingTime: info.signingTime,
    appName: 'Đúng hạn (dunghan)',
  });
  return new SignPdf().sign(withPlaceholder, signer, info.signingTime);
}
