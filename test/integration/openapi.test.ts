/**
 * The OpenAPI document passes a standard linter (Redocly's recommended rules: operationIds, path parameters,
 * security on every operation, servers, license), and what the API answers matches the response schemas it
 * declares.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
});
afterAll(async () => t.close());

test('the document lints clean with the recommended rules', async () => {
  const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
  expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} ${p.location?.[0]?.pointer ?? ''}`)).toEqual([]);
  // Every operation has an id, a success response with a schema, and the problem shape for errors.
  const ops = Object.values(
    doc.paths as Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>,
  ).flatMap((p) => Object.values(p));
  expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
  for (const o of ops) {
    const success = Object.entries(o.responses).filter(([status]) => status.startsWith('2'));
    expect({ op: o.operationId, ok: success.length > 0 && success.every(([, r]) => Object.values(r.content ?? {}).every((c) => c.schema)) }).toEqual({
      op: o.operationId,
      ok: true,
    });
    expect(o.responses['400']?.content?.['application/problem+json']).toBeDefined();
  }
});

test('answers carry the fields their declared schemas require', async () => {
  const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
  const required = (name: string): string[] => doc.components.schemas[name].required;
  const auth = { Authorization: `Bearer ${t.keys.admin}` };
  const posted = await request(t.app)
    .post('/api/v1/events')
    .set(auth)
    .send(ev.received('OA-1', '2025-11-03T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }));
  expect(Object.keys(posted.body)).toEqual(expect.arrayContaining(required('EventsResult')));
  expect(posted.body.results[0].status).toMatch(/^(accepted|duplicate)$/);
  const dossier = (await request(t.app).get('/api/v1/dossiers/OA-1').set(auth)).body;
  expect(Object.keys(dossier)).toEqual(expect.arrayContaining(required('Dossier')));
  const report = (await request(t.app).get('/api/v1/reports/rates?period=2025-11').set(auth)).body;
  expect(Object.keys(report)).toEqual(expect.arrayContaining(required('RateReport')));
  expect(Object.keys(report.indicators[0])).toEqual(expect.arrayContaining(required('Indicator')));
  const bad = await request(t.app).get('/api/v1/reports/rates?period=2099').set(auth);
  expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(Object.keys(bad.body)).toEqual(expect.arrayContaining(required('Problem')));
});
