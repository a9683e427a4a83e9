import { DefaultRequestAdapter } from '@microsoft/kiota-bundle';
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  HttpMethod,
  RequestInformation,
  type ErrorMappings,
  type Parsable,
  type ParsableFactory,
  type SerializationWriter,
} from '@microsoft/kiota-abstractions';
import {
  CallStateObject,
  createCallFromDiscriminatorValue,
  createCommsOperationFromDiscriminatorValue,
  OperationStatusObject,
  serializeCall,
  serializeMediaPrompt,
  serializePrompt,
  type Call,
  type CommsOperation,
  type MediaPrompt,
  type RecordOperation,
} from '@microsoft/msgraph-sdk/models';
import { createODataErrorFromDiscriminatorValue, type ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureLocalCa, issueServerCertificate } from '../../tools/https/local-ca';
import { summary, type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { token } from '../support/graph';
import { serviceForFile } from '../support/service';

/**
 * Kiota: the msgraph-sdk models and kiota-bundle's request adapter, unmodified, over https (Kiota's
 * bearer provider refuses plain http). The models' enums are the schema's PascalCase, so the
 * service runs with GRAPH_ENUM_CASING=schema. The communications request builders are not
 * published for TypeScript, so requests are built as the generated builders build them: a
 * RequestInformation with a URL template and a model serializer.
 */
const svc = serviceForFile({ deliver: true, env: { GRAPH_ENUM_CASING: 'schema' } });
let bot: TestBot;
let adapter: DefaultRequestAdapter;
const errors: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue as ParsableFactory<Parsable> };

beforeAll(async () => {
  const httpsUrl = svc.host.httpsUrl ?? '';
  bot = await svc.bot({ serviceUrl: httpsUrl, tls: await issueServerCertificate(await ensureLocalCa(inject('localCaDir'))) });
  const bearer = await token();
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => bearer,
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(httpsUrl).hostname])),
  });
  adapter = new DefaultRequestAdapter(auth);
  adapter.baseUrl = `${httpsUrl}/v1.0`;
});

interface PlayPromptBody extends Parsable {
  clientContext?: string;
  prompts?: MediaPrompt[];
}

/** What a generated playPrompt body serializer does: each prompt through serializePrompt (kiota#6777 drops mediaInfo there). */
function serializePlayPromptAsGenerated(writer: SerializationWriter, body: Partial<PlayPromptBody> | null | undefined = {}): void {
  writer.writeStringValue('clientContext', body?.clientContext);
  writer.writeCollectionOfObjectValues('prompts', body?.prompts, serializePrompt);
}

/** The workaround: serialize each prompt as the mediaPrompt it is. */
function serializePlayPromptWorkaround(writer: SerializationWriter, body: Partial<PlayPromptBody> | null | undefined = {}): void {
  writer.writeStringValue('clientContext', body?.clientContext);
  writer.writeCollectionOfObjectValues('prompts', body?.prompts, serializeMediaPrompt);
}

function request(method: HttpMethod, path: string): RequestInformation {
  const info = new RequestInformation(method, `{+baseurl}${path}`);
  info.headers.tryAdd('Accept', 'application/json');
  return info;
}

function withBody<T extends Parsable>(info: RequestInformation, body: T, serializer: (writer: SerializationWriter, value?: Partial<T> | null) => void) {
  info.setContentFromParsable(adapter, 'application/json', body, serializer as never);
  return info;
}

const prompt = (name: string): MediaPrompt => ({ odataType: '#microsoft.graph.mediaPrompt', mediaInfo: { uri: `https://cdn.example.com/${name}.wav`, resourceId: name } });
const getOperation = (callId: string, id: string) => adapter.send<CommsOperation>(request(HttpMethod.GET, `/communications/calls/${callId}/operations/${id}`), createCommsOperationFromDiscriminatorValue, errors);
const post = <T extends Parsable>(callId: string, action: string, body: T, serializer: (writer: SerializationWriter, value?: Partial<T> | null) => void) =>
  adapter.send<CommsOperation>(withBody(request(HttpMethod.POST, `/communications/calls/${callId}/${action}`), body, serializer), createCommsOperationFromDiscriminatorValue, errors);

async function establishedCall(): Promise<Call> {
  const body: Call = {
    odataType: '#microsoft.graph.call',
    callbackUri: bot.callbackUri,
    requestedModalities: ['audio'],
    mediaConfig: { odataType: '#microsoft.graph.serviceHostedMediaConfig' },
    targets: [{ odataType: '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'John' } } }],
  };
  const created = await adapter.send<Call>(withBody(request(HttpMethod.POST, '/communications/calls'), body, serializeCall), createCallFromDiscriminatorValue, errors);
  expect(created?.state).toBe(CallStateObject.Establishing);
  await eventually(async () => {
    const call = await adapter.send<Call>(request(HttpMethod.GET, `/communications/calls/${created?.id}`), createCallFromDiscriminatorValue, errors);
    if (call?.state !== CallStateObject.Established) throw new Error(`call is ${call?.state}`);
  });
  return created as Call;
}

describe('Kiota models and request adapter (GRAPH_ENUM_CASING=schema)', () => {
  it('create, prompts, recording, tones and cancel come back as typed operations with schema enums', async () => {
    const call = await establishedCall();
    const id = call.id ?? '';
    const welcome = await post<PlayPromptBody>(id, 'playPrompt', { clientContext: 'welcome', prompts: [prompt('welcome')] }, serializePlayPromptWorkaround);
    const menu = await post<PlayPromptBody>(id, 'playPrompt', { clientContext: 'menu', prompts: [prompt('menu'), prompt('options')] }, serializePlayPromptWorkaround);
    const record = (await post(id, 'recordResponse', { clientContext: 'answer', maxRecordDurationInSeconds: 5 } as Parsable, (w, b) => {
      const body = b as { clientContext?: string; maxRecordDurationInSeconds?: number } | null;
      w.writeStringValue('clientContext', body?.clientContext);
      w.writeNumberValue('maxRecordDurationInSeconds', body?.maxRecordDurationInSeconds);
    })) as RecordOperation | undefined;
    expect([welcome, menu, record].map((op) => [op?.odataType, op?.status, op?.clientContext])).toEqual([
      ['#microsoft.graph.playPromptOperation', OperationStatusObject.Running, 'welcome'],
      ['#microsoft.graph.playPromptOperation', OperationStatusObject.NotStarted, 'menu'],
      ['#microsoft.graph.recordOperation', OperationStatusObject.NotStarted, 'answer'],
    ]);
    expect(record?.recordingLocation).toBeUndefined(); // null on the wire: not recorded yet

    const clientContextOnly = (w: SerializationWriter, b?: Partial<Parsable> | null) => w.writeStringValue('clientContext', (b as { clientContext?: string } | null)?.clientContext);
    const tones = await post(id, 'subscribeToTone', { clientContext: 'keys' } as Parsable, clientContextOnly);
    const cancel = await post(id, 'cancelMediaProcessing', { clientContext: 'reset' } as Parsable, clientContextOnly);
    expect(tones).toMatchObject({ odataType: '#microsoft.graph.subscribeToToneOperation', status: OperationStatusObject.Completed });
    expect(cancel).toMatchObject({ odataType: '#microsoft.graph.cancelMediaProcessingOperation', status: OperationStatusObject.Completed });

    const read = await Promise.all([welcome, menu, record, tones, cancel].map((op) => getOperation(id, op?.id ?? '')));
    expect(read.map((op) => [op?.odataType, op?.status, op?.resultInfo?.code ?? null, op?.resultInfo?.subcode ?? null])).toEqual([
      ['#microsoft.graph.playPromptOperation', OperationStatusObject.Failed, 400, 8508],
      ['#microsoft.graph.playPromptOperation', OperationStatusObject.Failed, 400, 8508],
      ['#microsoft.graph.recordOperation', OperationStatusObject.Failed, 400, 8508],
      ['#microsoft.graph.subscribeToToneOperation', OperationStatusObject.Completed, null, null],
      ['#microsoft.graph.cancelMediaProcessingOperation', OperationStatusObject.Completed, null, null],
    ]);

    await adapter.sendNoResponseContent(request(HttpMethod.DELETE, `/communications/calls/${id}`), errors);
    const ended = await adapter.send<Call>(request(HttpMethod.GET, `/communications/calls/${id}`), createCallFromDiscriminatorValue, errors);
    expect([CallStateObject.Terminating, CallStateObject.Terminated]).toContain(ended?.state);
  });

  it('parses the notifications the bot receives with the models’ deserializers', async () => {
    const call = await establishedCall();
    const id = call.id ?? '';
    const op = await post<PlayPromptBody>(id, 'playPrompt', { clientContext: 'bye', prompts: [prompt('bye')] }, serializePlayPromptWorkaround);
    await post(id, 'cancelMediaProcessing', { clientContext: 'stop' } as Parsable, (w, b) => w.writeStringValue('clientContext', (b as { clientContext?: string } | null)?.clientContext));
    const notes = await bot.waitFor(4, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual(['call:establishing', 'call:established', 'playPromptOperation:Failed:bye', 'cancelMediaProcessingOperation:Completed:stop']);

    // The SDKs do not model the commsNotifications envelope; its resourceData is an operation or a call.
    const parse = <T extends Parsable>(resourceData: unknown, factory: ParsableFactory<T>) =>
      adapter.getParseNodeFactory().getRootParseNode('application/json', new TextEncoder().encode(JSON.stringify(resourceData)).buffer as ArrayBuffer).getObjectValue(factory);
    const established = parse<Call>(notes[1]?.notification['resourceData'], createCallFromDiscriminatorValue);
    expect(established.state).toBe(CallStateObject.Established);
    const failed = parse<CommsOperation>(notes[2]?.notification['resourceData'], createCommsOperationFromDiscriminatorValue);
    expect(failed).toMatchObject({ odataType: '#microsoft.graph.playPromptOperation', id: op?.id, status: OperationStatusObject.Failed, clientContext: 'bye' });
    expect(failed.resultInfo).toMatchObject({ code: 400, subcode: 8508 });
    const done = parse<CommsOperation>(notes[3]?.notification['resourceData'], createCommsOperationFromDiscriminatorValue);
    expect(done.status).toBe(OperationStatusObject.Completed);

    // Why the setting matters: the docs' casing does not parse into the models' enum at all.
    expect(parse<CommsOperation>({ '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' }, createCommsOperationFromDiscriminatorValue).status).toBeUndefined();
  });

  it('shows kiota#6777: the generated playPrompt serializer drops mediaInfo, and the service says so', async () => {
    const call = await establishedCall();
    const error = await post<PlayPromptBody>(call.id ?? '', 'playPrompt', { clientContext: 'lost', prompts: [prompt('lost')] }, serializePlayPromptAsGenerated).then(
      () => undefined,
      (e: unknown) => e as ODataError,
    );
    expect(error?.responseStatusCode).toBe(400);
    expect(error?.errorEscaped?.code).toBe('BadRequest');
    expect(error?.errorEscaped?.message).toContain('mediaInfo');
  });
});
