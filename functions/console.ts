import { httpRoute } from '../src/api/route-table';
import { consoleRoute } from '../src/api/console-access';
import { getCallView, listCalls } from '../src/api/console-data';
import { streamConsoleEvents } from '../src/api/console-events';
import { consoleAsset, consolePage } from '../src/api/console-page';
import { mintToken } from '../src/api/local-tokens';

// The local web console (docs/console.md): its page, what it reads, and the local tokens it acts
// with. Local mode and loopback only; deployed, every route answers 404 like an unknown path.
httpRoute('console', { methods: ['GET'], route: 'console', authLevel: 'anonymous', handler: consoleRoute(consolePage) });
httpRoute('consoleAsset', { methods: ['GET'], route: 'console/{asset}', authLevel: 'anonymous', handler: consoleRoute(consoleAsset) });
httpRoute('emulator-calls', { methods: ['GET'], route: 'emulator/calls', authLevel: 'anonymous', handler: consoleRoute(listCalls) });
httpRoute('emulator-call', { methods: ['GET'], route: 'emulator/calls/{callId}', authLevel: 'anonymous', handler: consoleRoute(getCallView) });
httpRoute('emulator-events', { methods: ['GET'], route: 'emulator/events', authLevel: 'anonymous', handler: consoleRoute(streamConsoleEvents) });
httpRoute('emulator-tokens', { methods: ['POST'], route: 'emulator/tokens', authLevel: 'anonymous', handler: consoleRoute(mintToken) });
