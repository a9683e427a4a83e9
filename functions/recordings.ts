import { app } from '@azure/functions';
import { graphRoute } from '../src/graph/handler';
import { getRecording } from '../src/media/recordings';

// Where a finished recordResponse's recordingLocation points; authorized by its recordingAccessToken.
app.http('recording', { methods: ['GET'], route: 'recordings/{callId}/{operationId}', authLevel: 'anonymous', handler: graphRoute(getRecording) });
