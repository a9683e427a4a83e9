import { app } from '@azure/functions';
import { STORAGE_CONNECTION } from '../src/config';
import { withServices } from '../src/app/services';
import { runMediaClock } from '../src/service/media-clock';

app.storageQueue('mediaClock', { queueName: '%MEDIA_CLOCK_QUEUE%', connection: STORAGE_CONNECTION, handler: withServices(runMediaClock) });
