using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IvrBot.Local;

/// <summary>
/// The service's local CA (<c>.local/ca/</c>, created by <c>npm start</c>): trusted for calls to the
/// service without touching the machine's trust store, and the issuer of the bot's own listener
/// certificate, which the service trusts for https callbacks (<c>CALLBACK_CA_FILE</c>).
/// </summary>
public sealed class LocalCa
{
    private readonly string directory;

    public LocalCa(string directory)
    {
        this.directory = directory;
        Certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "ca.pem")));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's folder.</summary>
    public string Directory => directory;

    /// <summary>
    /// The CA <c>npm start</c> uses: <c>LOCAL_CA_DIR</c> when set, else <c>.local/ca</c> in the nearest
    /// folder above the current one that has it (so it is found from anywhere in the repository).
    /// </summary>
    public static LocalCa Find()
    {
        if (Environment.GetEnvironmentVariable("LOCAL_CA_DIR") is { Length: > 0 } configured) return new LocalCa(Path.GetFullPath(configured));
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".local", "ca");
            if (File.Exists(Path.Combine(candidate, "ca.pem"))) return new LocalCa(candidate);
        }
        throw new FileNotFoundException($"No .local/ca/ca.pem above {Environment.CurrentDirectory}: start the service once (npm start) or set LOCAL_CA_DIR.");
    }

    /// <summary>A handler whose https connections trust this CA (and only it) for the server's chain.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, errors) => IsTrusted(cert, errors) },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        // A name mismatch or a missing certificate is never excused; only the unknown root is.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    /// <summary>
    /// A server certificate for 127.0.0.1, ::1 and localhost, issued by this CA (it reads the CA's key,
    /// <c>ca-key.pem</c>): what a bot's https notification listener serves.
    /// </summary>
    public X509Certificate2 IssueServerCertificate()
    {
        using var issuer = X509Certificate2.CreateFromPemFile(Path.Combine(directory, "ca.pem"), Path.Combine(directory, "ca-key.pem"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(issuer, now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        // Exported and loaded again so that TLS on every platform finds the private key.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
