/**
 * Sending mail: SMTP through nodemailer when SMTP_URL is set; otherwise (for
 * development) each message is written as an .eml file to MAIL_DIR and shown
 * on the admin page.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per outbox row, so that a receiving system can recognise a resend. */
  messageId: string;
  attachments?: Attachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  describe(): string;
}

export function createMailer(options: { smtpUrl?: string; from: string; mailDir: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      send: async (m) => {
        await transport.sendMail({
          from: options.from,
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: m.messageId,
          attachments: m.attachments,
        });
      },
      describe: () => 'SMTP (SMTP_URL)',
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (m) => {
      const info = await transport.sendMail({
        from: options.from,
        to: m.to,
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId: m.messageId,
        attachments: m.attachments,
      });
      await fs.mkdir(options.mailDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await fs.writeFile(path.join(options.mailDir, name), info.message as Buffer);
    },
    describe: () => `files in ${options.mailDir} (no SMTP_URL)`,
  };
}

/** The .eml files the development mailer wrote, newest first. */
export async function listMailFiles(mailDir: string): Promise<string[]> {
  try {
    return (await fs.readdir(mailDir))
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
