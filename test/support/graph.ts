import path from 'node:path';
import type { TableClient } from '@azure/data-tables';
import { mintLocalToken, type LocalTokenRequest } from '../../src/auth/tokens';
import { operationFromEntity } from '../../src/store/operation-row';
import { outboxFromEntity } from '../../src/store/outbox-row';
import { OUTBOX_PREFIX, OPERATION_PREFIX } from '../../src/store/table-schema';
import { eventually } from './eventually';
import { ROOT } from './host-process';

export const TENANT = '00000000-0000-4000-8000-000000000001';
export const APP = '11111111-1111-4111-8111-111111111111';
export const OTHER_APP = '22222222-2222-4222-8222-222222222222';
export const KEYS_FILE = path.join(ROOT, '.local/keys.json');

export function token(request: Partial<LocalTokenRequest> = {}): Promise<string> {
  return mintLocalToken(KEYS_FILE, { appId: APP, tenantId: TENANT, ...request });
}

export const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

export function callBody(overrides: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: 'https://bot.example.com/callback',
    targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'John' } } }],
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_HOSTED,
    ...overrides,
  };
}

export function promptBody(clientContext?: string, count = 1) {
  return {
    ...(clientContext !== undefined && { clientContext }),
    prompts: Array.from({ length: count }, (_, i) => ({
      '@odata.type': '#microsoft.graph.mediaPrompt',
      mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: `https://cdn.example.com/prompt-${i}.wav`, resourceId: `res-${i}` },
    })),
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A bot's view of the service: a base URL, a path family, a token. */
export class GraphClient {
  constructor(
    readonly serviceUrl: string,
    readonly bearer: string,
    readonly prefix = '/v1.0/communications/calls',
    /** How requests travel: over HTTP by default, or into the app in this process (in-process.ts). */
    readonly transport: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ) {}

  with(options: { bearer?: string; prefix?: string }): GraphClient {
    return new GraphClient(this.serviceUrl, options.bearer ?? this.bearer, options.prefix ?? this.prefix, this.transport);
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.#fetch(method, `${this.prefix}${path}`, body, headers);
  }

  /** POST /emulator/{path}: the emulator (the caller's side), with this client's token. */
  async emulator(path: string, body?: unknown): Promise<Response> {
    return this.#fetch('POST', `/emulator/${path}`, body);
  }

  #fetch(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.transport(`${this.serviceUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.bearer}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }

  async createCall(overrides: Record<string, unknown> = {}): Promise<Json> {
    const res = await this.send('POST', '', callBody(overrides));
    if (res.status !== 201) throw new Error(`create call answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Json;
  }

  async getCall(callId: string): Promise<Json> {
    return (await (await this.send('GET', `/${callId}`)).json()) as Json;
  }

  /** Creates a call and waits until the media clock has established it. */
  async establishedCall(overrides: Record<string, unknown> = {}): Promise<Json> {
    const call = await this.createCall(overrides);
    await eventually(async () => {
      const state = (await this.getCall(call['id'])).state;
      if (state !== 'established') throw new Error(`call is ${state}`);
    });
    return call;
  }

  async action(callId: string, action: string, body?: unknown): Promise<{ res: Response; json: Json }> {
    const res = await this.send('POST', `/${callId}/${action}`, body);
    const text = await res.text();
    return { res, json: text ? (JSON.parse(text) as Json) : {} };
  }

  async operation(callId: string, operationId: string): Promise<{ res: Response; json: Json }> {
    const res = await this.send('GET', `/${callId}/operations/${operationId}`);
    return { res, json: (await res.json()) as Json };
  }
}

/** The rows of a call's partition, read straight from the table. */
export async function partition(table: TableClient, callId: string) {
  const rows: Record<string, unknown>[] = [];
  for await (const e of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${callId}'` } })) rows.push(e);
  const key = (e: Record<string, unknown>) => String(e['rowKey']);
  return {
    operations: rows.filter((e) => key(e).startsWith(OPERATION_PREFIX)).map(operationFromEntity),
    outbox: rows.filter((e) => key(e).startsWith(OUTBOX_PREFIX)).map(outboxFromEntity),
    rows,
  };
}

/** Every notification waiting in a call's outbox, in order. */
export async function outboxNotifications(table: TableClient, callId: string): Promise<Json[]> {
  const { outbox } = await partition(table, callId);
  return outbox.sort((a, b) => a.seq - b.seq).flatMap((row) => row.notifications as Json[]);
}
