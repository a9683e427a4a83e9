import type { CallEventView, CallListView } from '../../src/api/console-views';

/** The console's live view: its server-sent events (GET /emulator/events), followed and reconnected. */

export interface LiveQuery {
  readonly app?: string;
  readonly state?: string;
  readonly callId?: string;
}

export interface LiveHandlers {
  readonly calls: (list: CallListView) => void;
  readonly call: (view: CallEventView) => void;
  readonly status: (status: 'live' | 'connecting' | 'offline', detail?: string) => void;
}

/**
 * Follows the console's server-sent events. Read with fetch rather than EventSource so that
 * errors are seen as they are; reconnects after the stream ends or fails. Returns a stop function.
 */
export function follow(query: LiveQuery, on: LiveHandlers): () => void {
  const stop = new AbortController();
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const run = async () => {
    while (!stop.signal.aborted) {
      on.status('connecting');
      try {
        const res = await fetch(`/emulator/events?${params}`, { signal: stop.signal, headers: { Accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        on.status('live');
        await readEvents(res.body, (event, data) => {
          if (event === 'calls') on.calls(JSON.parse(data) as CallListView);
          else if (event === 'call') on.call(JSON.parse(data) as CallEventView);
          else if (event === 'problem') on.status('offline', (JSON.parse(data) as { message: string }).message);
        });
      } catch (error) {
        if (stop.signal.aborted) return;
        on.status('offline', (error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => stop.abort();
}

/** Parses a text/event-stream body: blocks separated by a blank line, `event:` and `data:` lines. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
