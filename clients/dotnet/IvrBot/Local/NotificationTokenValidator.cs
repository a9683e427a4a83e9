using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IvrBot.Local;

/// <summary>
/// Validates the bearer token a notification carries as a bot validates Graph's: keys from an OpenID
/// configuration, audience = the bot's app id, a tenant claim. The configuration is the service's
/// (<c>{service root}/.well-known/openid-configuration</c>), and so is the issuer.
/// </summary>
public sealed class NotificationTokenValidator
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> configuration;
    private readonly string appId;

    public NotificationTokenValidator(Uri openIdConfiguration, string appId, HttpClient httpClient)
    {
        this.appId = appId;
        configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            openIdConfiguration.ToString(),
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(httpClient) { RequireHttps = openIdConfiguration.Scheme == Uri.UriSchemeHttps });
    }

    /// <summary>The token's tenant id when it is valid; null otherwise.</summary>
    public async Task<string?> ValidateAsync(string? bearerToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(bearerToken)) return null;
        var config = await configuration.GetConfigurationAsync(cancellationToken);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(bearerToken, new TokenValidationParameters
        {
            ValidIssuer = config.Issuer,
            ValidAudience = appId,
            IssuerSigningKeys = config.SigningKeys,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        return result.IsValid && result.Claims.TryGetValue("tid", out var tenant) ? tenant as string : null;
    }
}
