/**
 * A staff account for a test: created, its first password set through its one-time token as the link would, and
 * signed in through the login form (test-app.ts signIn). Returns the person and the session cookie's value.
 */
import type { Express } from 'express';
import type pg from 'pg';
import { hashPassword } from '../../src/accounts/password-hash.js';
import { createPasswordToken, createPerson, setPasswordWithToken, type Person, type PersonInput } from '../../src/store/people.js';
import { signIn } from './test-app.js';

export const TEST_PASSWORD = 'Hoa ban trắng núi rừng Tây Bắc';

export async function personWithPassword(pool: pg.Pool, input: PersonInput): Promise<Person> {
  const person = await createPerson(pool, input, null);
  const token = await createPasswordToken(pool, person.id);
  await setPasswordWithToken(pool, token!, await hashPassword(TEST_PASSWORD));
  return person;
}

export async function signedInPerson(app: Express, pool: pg.Pool, input: PersonInput): Promise<{ person: Person; session: string }> {
  const person = await personWithPassword(pool, input);
  return { person, session: await signIn(app, { email: input.email, password: TEST_PASSWORD }) };
}
