import { app } from '@azure/functions';
import { graphRoute } from '../src/api/graph-route';
import { unknownRoute } from '../src/api/unknown-route';

// Lowest precedence: only requests that no other route takes (see src/api/unknown-route.ts).
app.http('unknownRoute', {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  route: '{*path}',
  authLevel: 'anonymous',
  handler: graphRoute(unknownRoute),
});
