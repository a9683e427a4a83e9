using Microsoft.Kiota.Abstractions.Authentication;

namespace IvrBot.Local;

/// <summary>
/// Hands the local service's app token to Microsoft.Graph (Kiota) for the hosts it is allowed for.
/// Graph's Azure-identity provider allows only Graph's own hosts and silently sends no token to any
/// other, so a client pointed at this service needs a provider whose allowed hosts name it.
/// </summary>
public sealed class LocalTokenProvider(Func<CancellationToken, Task<string>> token, params string[] allowedHosts) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new(allowedHosts);

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        // As Graph's providers do: tokens travel over https only, and only to the allowed hosts.
        if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHostsValidator.IsUrlHostValid(uri)) return string.Empty;
        return await token(cancellationToken);
    }
}
