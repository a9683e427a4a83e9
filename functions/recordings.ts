import { httpRoute } from '../src/api/route-table';
import { withGraphErrors } from '../src/api/error-boundary';
import { getRecording } from '../src/api/recordings';

// Where a finished recordResponse's recordingLocation points; authorized by its recordingAccessToken.
httpRoute('recording', { methods: ['GET'], route: 'recordings/{callId}/{operationId}', authLevel: 'anonymous', handler: withGraphErrors(getRecording) });
