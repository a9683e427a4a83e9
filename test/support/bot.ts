import { parseGuid } from '../../src/graph/ids';
import { startBot, type BotOptions, type ReceivedNotification, type RunningBot } from '../../tools/bot/receiver';
import { eventually } from './eventually';
import { APP } from './graph';

export type { ReceivedNotification };

export interface TestBot extends RunningBot {
  /** Waits until `count` notifications have arrived (optionally only those matching) and returns them. */
  waitFor(count: number, match?: (n: ReceivedNotification) => boolean, timeoutMs?: number): Promise<ReceivedNotification[]>;
  /** The received notifications of one call, in arrival order. */
  of(callId: string): ReceivedNotification[];
}

/** A real bot HTTP server on loopback that validates the service's tokens (see tools/bot/receiver.ts). */
export async function testBot(serviceUrl: string, options: Partial<BotOptions> = {}): Promise<TestBot> {
  const bot = await startBot({ serviceUrl, appId: APP, ...options });
  const of = (callId: string) => bot.received.filter((n) => String(n.notification['resourceData']?.['id'] ?? '') === callId || urlCallId(n) === callId);
  return Object.assign(bot, {
    of,
    async waitFor(count: number, match: (n: ReceivedNotification) => boolean = () => true, timeoutMs = 20_000) {
      return eventually(
        () => {
          const found = bot.received.filter(match);
          if (found.length < count) throw new Error(`${found.length} of ${count} notifications arrived: ${JSON.stringify(found.map(summary))}`);
          return found;
        },
        timeoutMs,
      );
    },
  });
}

/** The call id in a notification's resourceUrl (either id form), as a lowercase dashed GUID. */
export function urlCallId(n: ReceivedNotification): string {
  const m = /\/calls\/([0-9a-f]{32}|[0-9a-f-]{36})(?:\/|$)/i.exec(String(n.notification['resourceUrl'] ?? ''));
  return parseGuid(m?.[1] ?? '') ?? '';
}

/** "call:established", "playPromptOperation:completed:welcome", "tone:3", "participants:2"... for compact assertions. */
export function summary(n: ReceivedNotification): string {
  const data = n.notification['resourceData'] ?? {};
  if (Array.isArray(data)) return `participants:${data.length}`;
  const type = String(data['@odata.type'] ?? '').replace('#microsoft.graph.', '');
  if (data['toneInfo']) return `tone:${data['toneInfo']['sequenceId']}:${data['toneInfo']['tone']}`;
  if (type === 'call') return `call:${data['state']}`;
  return [type, data['status'], data['clientContext']].filter((x) => x !== undefined && x !== null).join(':');
}
