import { app } from '@azure/functions';
import { withGraphErrors } from '../src/api/error-boundary';
import { unknownRoute } from '../src/api/unknown-route';

// Lowest precedence: only requests that no other route takes (see src/api/unknown-route.ts).
app.http('unknownRoute', {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  route: '{*path}',
  authLevel: 'anonymous',
  handler: withGraphErrors(unknownRoute),
});
