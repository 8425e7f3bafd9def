using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Xml.Linq;
using IdentityBroker.Federation;
using IdentityBroker.Iam;
using IdentityBroker.Policies;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using IdentityBroker.Sts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Sts;

/// <summary>An in-memory IIamStore (roles and OIDC providers) for unit tests.</summary>
public sealed class InMemoryIamStore : IIamStore
{
    private readonly ConcurrentDictionary<string, IamRole> _roles = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, OidcProvider> _providers = new(StringComparer.Ordinal);

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken) => Task.FromResult(_roles.TryAdd(role.RoleName, role));

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(_roles.TryGetValue(roleName, out var role) ? role : null);

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        if (!_roles.ContainsKey(role.RoleName))
        {
            return Task.FromResult(false);
        }

        _roles[role.RoleName] = role;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) => Task.FromResult(_roles.TryRemove(roleName, out _));

    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IamRole>>(_roles.Values.ToList());

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) => Task.FromResult(_providers.TryAdd(provider.Arn, provider));

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(_providers.TryGetValue(arn, out var provider) ? provider : null);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        _providers[provider.Arn] = provider;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) => Task.FromResult(_providers.TryRemove(arn, out _));

    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OidcProvider>>(_providers.Values.ToList());
}

/// <summary>An in-memory IKeyStore with first-writer-wins adds.</summary>
/// <summary>An in-memory IRevocationStore for unit tests.</summary>
public sealed class InMemoryRevocationStore : IRevocationStore
{
    private readonly ConcurrentDictionary<string, IdentityBroker.Revocations.Revocation> _revocations = new(StringComparer.Ordinal);

    public Task<bool> AddRevocationAsync(IdentityBroker.Revocations.Revocation revocation, CancellationToken cancellationToken) =>
        Task.FromResult(_revocations.TryAdd(revocation.RevocationId, revocation));

    public Task<IReadOnlyList<IdentityBroker.Revocations.Revocation>> ListRevocationsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdentityBroker.Revocations.Revocation>>([.. _revocations.Values.OrderBy(r => r.CreatedAt)]);

    public Task<bool> DeleteRevocationAsync(string revocationId, CancellationToken cancellationToken) =>
        Task.FromResult(_revocations.TryRemove(revocationId, out _));
}

public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly ConcurrentDictionary<string, StoredKey> _keys = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredKey>>(_keys.Values.Where(k => k.Purpose == purpose).ToList());

    public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken) => Task.FromResult(_keys.TryAdd(key.KeyId, key));
}

/// <summary>Answers keys for a fixed set of issuers.</summary>
public sealed class TestIssuerKeySource : IIssuerKeySource
{
    public Dictionary<string, IssuerKeys> Issuers { get; } = new(StringComparer.Ordinal);

    /// <summary>Registered issuers whose keys cannot be fetched (the provider is down).</summary>
    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);

    public ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken) =>
        Unreachable.Contains(issuer)
            ? throw new IdentityBroker.Federation.Oidc.IssuerKeysUnavailableException("unreachable in this test")
            : ValueTask.FromResult(Issuers.TryGetValue(issuer, out var keys) ? keys : null);
}

/// <summary>A broker issuer, a third-party issuer, an STS with its dependencies, and token/request builders.</summary>
public sealed class StsFixture
{
    public const string Account = "000000000000";
    public const string BrokerIssuer = "https://broker.example.com";
    public const string BrokerProviderArn = "arn:aws:iam::000000000000:oidc-provider/broker.example.com";
    public const string ThirdPartyIssuer = "https://idp.example.com/tenant";
    public const string ThirdPartyProviderArn = "arn:aws:iam::000000000000:oidc-provider/idp.example.com/tenant";
    public const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    public const string IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    public StsFixture()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Keys.Issuers[BrokerIssuer] = new IssuerKeys(BrokerIssuer, [BrokerKey], IsBroker: true, BrokerProviderArn);
        Keys.Issuers[ThirdPartyIssuer] = new IssuerKeys(ThirdPartyIssuer, [ThirdPartyKey], IsBroker: false, ThirdPartyProviderArn);
        Iam.TryCreateOidcProviderAsync(
            new OidcProvider { Arn = ThirdPartyProviderArn, Url = ThirdPartyIssuer, ClientIds = ["client-1"] }, CancellationToken.None).GetAwaiter().GetResult();
        Options = Microsoft.Extensions.Options.Options.Create(new BrokerOptions { AccountId = Account });
        SessionKeys = new SessionKeyRing(KeyStore, Time);
        Sts = new EmbeddedSts(new WebIdentityTokenValidator(Keys, Iam, Federation.TestJwtReader.Create(new Federation.StubOidcProvider(BrokerIssuer), Options, Time), Options), Iam, new PolicyCache(), SessionKeys, Options, Time);
        Handler = new StsQueryHandler(Sts, Options);
        Revocations = new IdentityBroker.Revocations.RevocationList(RevocationStore);
        Principals = new StsSessionPrincipals(SessionKeys, Revocations, Time);
    }

    public FakeTimeProvider Time { get; }

    public InMemoryRevocationStore RevocationStore { get; } = new();

    public IdentityBroker.Revocations.RevocationList Revocations { get; }

    // Key generation is slow; one pair serves every test.
    public RsaSecurityKey BrokerKey { get; } = SharedBrokerKey;

    public ECDsaSecurityKey ThirdPartyKey { get; } = SharedThirdPartyKey;

    public static RsaSecurityKey SharedBrokerKey { get; } = new(RSA.Create(2048)) { KeyId = "broker-1" };

    public static ECDsaSecurityKey SharedThirdPartyKey { get; } = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "idp-1" };

    public static RsaSecurityKey OtherRsaKey { get; } = new(RSA.Create(2048)) { KeyId = "unknown" };

    public TestIssuerKeySource Keys { get; } = new();

    public InMemoryIamStore Iam { get; } = new();

    public InMemoryKeyStore KeyStore { get; } = new();

    public IOptions<BrokerOptions> Options { get; }

    public SessionKeyRing SessionKeys { get; }

    public EmbeddedSts Sts { get; }

    public StsQueryHandler Handler { get; }

    public StsSessionPrincipals Principals { get; }

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Claims of a valid authenticated broker token; tests change one entry.</summary>
    public Dictionary<string, object> BrokerClaims(string audience = PoolId) => new()
    {
        ["iss"] = BrokerIssuer,
        ["aud"] = audience,
        ["sub"] = IdentityId,
        ["amr"] = audience.EndsWith(":unauthenticated", StringComparison.Ordinal)
            ? new[] { "unauthenticated" }
            : new[] { "authenticated", "accounts.google.com", "accounts.google.com:12345" },
        ["iat"] = Now - 10,
        ["exp"] = Now + 600,
    };

    /// <summary>Claims of a valid token of the registered third-party provider, for its client-1.</summary>
    public Dictionary<string, object> ThirdPartyClaims() => new()
    {
        ["iss"] = ThirdPartyIssuer, ["aud"] = "client-1", ["sub"] = "user-42", ["iat"] = Now, ["exp"] = Now + 300,
    };

    public string Sign(Dictionary<string, object> claims, SecurityKey? key = null, string? algorithm = null)
    {
        key ??= BrokerKey;
        algorithm ??= key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha512;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = new SigningCredentials(key, algorithm) });
    }

    public async Task<IamRole> CreateRoleAsync(string name, string trustPolicy, int maxSessionDuration = 3600)
    {
        var role = new IamRole
        {
            RoleName = name,
            RoleId = "AROAEXAMPLEROLEID" + name.Length.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
            Arn = $"arn:aws:iam::{Account}:role/{name}",
            AssumeRolePolicyDocument = trustPolicy,
            MaxSessionDuration = maxSessionDuration,
            CreateDate = Time.GetUtcNow(),
        };
        await Iam.TryCreateRoleAsync(role, CancellationToken.None);
        return role;
    }

    public static QueryRequest Query(Dictionary<string, string> parameters, SigningPrincipal? caller = null) =>
        new(parameters, new SignedRequest("POST", "/", "", [], ReadOnlyMemory<byte>.Empty), "req-1", caller);

    public async Task<(ProtocolResponse Response, XDocument Xml)> AssumeAsync(string roleArn, string token, Dictionary<string, string>? extra = null)
    {
        var parameters = new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = roleArn,
            ["RoleSessionName"] = "CognitoIdentityCredentials",
            ["WebIdentityToken"] = token,
        };
        foreach (var (k, v) in extra ?? [])
        {
            parameters[k] = v;
        }

        var response = await Handler.HandleAsync("AssumeRoleWithWebIdentity", Query(parameters), CancellationToken.None);
        return (response, XDocument.Parse(System.Text.Encoding.UTF8.GetString(response.Body.Span)));
    }

    public static string? ErrorCode(XDocument xml) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public static string? Value(XDocument xml, string name) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}

/// <summary>Trust policies used across the STS tests.</summary>
public static class TrustPolicies
{
    public static string Cognito(string amrCondition = "") => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
        "Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"{{{{StsFixture.PoolId}}}}"}{{{{amrCondition}}}}}}]}
        """;

    public static string BrokerOidc() => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{{{StsFixture.BrokerProviderArn}}}}"},
        "Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringEquals":{"broker.example.com:aud":"{{{{StsFixture.PoolId}}}}"}}}]}
        """;

    public static string ThirdParty() => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{{{StsFixture.ThirdPartyProviderArn}}}}"},
        "Action":["sts:AssumeRoleWithWebIdentity"],
        "Condition":{"StringEquals":{"idp.example.com/tenant:aud":"client-1","idp.example.com/tenant:sub":"user-42"}}}]}
        """;

    public static string CognitoWithTagSession() => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
        "Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
        "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"{{{{StsFixture.PoolId}}}}"}}}]}
        """;
}
