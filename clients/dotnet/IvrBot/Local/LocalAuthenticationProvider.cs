using System.Net.Http.Headers;
using Microsoft.Graph.Communications.Client.Authentication;

namespace IvrBot.Local;

/// <summary>
/// The Communications SDK's authentication against the local service: outbound requests carry the
/// local app token; inbound notifications are accepted only with a token the service signed for this
/// app. (The SDK's own DefaultAuthenticationProvider trusts Entra ID's issuers and the Graph calling
/// service's app id, which a notification from this service never has.)
/// </summary>
public sealed class LocalAuthenticationProvider(Func<CancellationToken, Task<string>> token, NotificationTokenValidator validator) : IRequestAuthenticationProvider
{
    public async Task AuthenticateOutboundRequestAsync(HttpRequestMessage request, string tenant)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(CancellationToken.None));
    }

    public async Task<RequestValidationResult> ValidateInboundRequestAsync(HttpRequestMessage request)
    {
        var header = request.Headers.Authorization;
        var tenant = header?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) == true ? await validator.ValidateAsync(header.Parameter) : null;
        // The SDK raises no event for a notification unless the result names the tenant.
        return tenant is null ? new RequestValidationResult { IsValid = false } : new RequestValidationResult { IsValid = true, TenantId = tenant };
    }
}
