using System.Text.Json;

namespace IdentityBroker.Load;

/// <summary>An operation the tool drives, the X-Amz-Target it posts, its bodies file and the signatures one call needs.</summary>
public sealed record Operation(string Name, string Target, string BodiesName, SignatureCost Cost)
{
    public static readonly Operation GetIdGuest = new("GetId (guest, new identity)", "GetId", "getid-guest", new SignatureCost(0, 0, 0));
    public static readonly Operation GetIdOidc = new("GetId (OIDC, identity exists)", "GetId", "getid-oidc", new SignatureCost(1, 0, 0));

    /// <summary>
    /// Enhanced flow with the STS in process: verify the login token; the broker's claims go to the embedded STS unsigned
    /// (docs/architecture.md, "Credentials without a signature in process").
    /// </summary>
    public static readonly Operation CredentialsOidc = new("GetCredentialsForIdentity (OIDC)", "GetCredentialsForIdentity", "gcfi-oidc", new SignatureCost(1, 0, 0));

    /// <summary>Enhanced flow over the HTTP hop to STS: verify the login token, sign the broker's token, STS verifies it.</summary>
    public static readonly Operation CredentialsOidcOverHop = CredentialsOidc with { Cost = new SignatureCost(1, 1, 1) };

    /// <summary>With the Logins of an authenticated identity: verify the login token, sign the broker's token.</summary>
    public static readonly Operation OpenIdTokenOidc = new("GetOpenIdToken (OIDC)", "GetOpenIdToken", "openid-oidc", new SignatureCost(1, 1, 0));

    public static readonly IReadOnlyList<Operation> All = [GetIdGuest, GetIdOidc, CredentialsOidc, OpenIdTokenOidc];

    /// <summary>The same two operations with Broker__Tokens__Algorithm=ES256: the broker's own token is ECDSA P-256.</summary>
    public static readonly Operation CredentialsOidcEs256 = CredentialsOidc with { Name = "GetCredentialsForIdentity (OIDC, ES256)" };

    public static readonly Operation CredentialsOidcEs256OverHop = CredentialsOidcEs256 with { Cost = new SignatureCost(1, 0, 0, 1, 1) };

    public static readonly Operation OpenIdTokenOidcEs256 = OpenIdTokenOidc with { Name = "GetOpenIdToken (OIDC, ES256)", Cost = new SignatureCost(1, 0, 0, 1, 0) };

    /// <summary>
    /// What a broker run in <paramref name="mode"/> measures; the first mode measures every operation, the cache-off
    /// mode the three that verify a login token, the Redis replicas GetCredentialsForIdentity.
    /// </summary>
    public static IReadOnlyList<Operation> For(string mode, bool first)
    {
        var hop = mode.StartsWith("http", StringComparison.Ordinal);
        var credentials = hop ? CredentialsOidcOverHop : CredentialsOidc;
        return mode.EndsWith("-es256", StringComparison.Ordinal) ? [hop ? CredentialsOidcEs256OverHop : CredentialsOidcEs256, OpenIdTokenOidcEs256]
            : mode.EndsWith("-nocache", StringComparison.Ordinal) ? [GetIdOidc, credentials, OpenIdTokenOidc]
            : RedisRun.Is(mode) ? [credentials]
            : first ? [GetIdGuest, GetIdOidc, credentials, OpenIdTokenOidc]
            : [credentials];
    }
}

/// <summary>Writes the wrk bodies files (one JSON document per line) for a pool on a server.</summary>
public static class Bodies
{
    public static string Write(string directory, Operation operation, IEnumerable<object> documents)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var path = Path.Combine(directory, operation.BodiesName + ".jsonl");
        File.WriteAllLines(path, documents.Select(d => JsonSerializer.Serialize(d)));
        return path;
    }

    public static Dictionary<string, string> Logins(string providerKey, string token) => new() { [providerKey] = token };

    /// <summary>GetId for every user, <paramref name="parallelism"/> at a time; returns the identity ids in user order.</summary>
    public static async Task<string[]> CreateIdentitiesAsync(AwsClient client, string poolId, string providerKey, IReadOnlyList<string> tokens, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new string[tokens.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, tokens.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
        {
            var reply = await client.CognitoAsync("GetId", new { IdentityPoolId = poolId, Logins = Logins(providerKey, tokens[i]) }, signed: false);
            ids[i] = reply.GetProperty("IdentityId").GetString()!;
        });
        return ids;
    }
}
