using System.Buffers.Text;
using System.Text.Json;
using IdentityBroker.Federation.UserPools;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Federation;
using IdentityBroker.Tokens;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>
/// The user-pool token layer wired as the broker wires it, over a real SQLite store, a fixed clock and an HTTP handler that
/// refuses every request (the layer must never fetch its own keys).
/// </summary>
internal sealed class UserPoolTokenKit : IAsyncDisposable
{
    public const string BrokerUrl = "https://broker.example.com";
    public const string PoolId = "us-east-1_TokenKit1";
    public const string ClientId = "tokenkitclient0123456789ab";
    public const string SecretClientId = "tokenkitsecret0123456789ab";
    public const string NoRevocationClientId = "tokenkitnorevoke0123456789";
    public const string ClientSecret = "kit-client-secret-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("ib-tokenkit-").FullName;

    public UserPoolTokenKit(UserPoolClientSettings? settings = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new BrokerOptions { Issuer = BrokerUrl });
        Store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        Issuer = new UserPoolIssuer(new BrokerIssuer(Options));
        Keys = new UserPoolSigningKeys(Store, Issuer, Time);
        Tokens = new UserPoolTokenIssuer(Keys, Issuer, Time);
        Sessions = new UserPoolSessions(Store, Store, Tokens, Time);
        Reader = TestJwtReader.Create(Http, Options, Time);
        Verified = new VerifiedAccessTokens(Time);
        Authenticator = new AccessTokenAuthenticator(Reader, Issuer, Keys, Sessions, Verified, Options);
        Logins = new BrokerUserPoolLogins(Issuer, Keys, Sessions);
        Client = NewClient(ClientId, null, settings ?? Settings());
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public IOptions<BrokerOptions> Options { get; }

    public RefusingHandler Http { get; } = new();

    public SqliteBrokerStore Store { get; }

    public UserPoolIssuer Issuer { get; }

    public UserPoolSigningKeys Keys { get; }

    public UserPoolTokenIssuer Tokens { get; }

    public UserPoolSessions Sessions { get; }

    public IdentityBroker.Federation.Jwt.JwtReader Reader { get; }

    public VerifiedAccessTokens Verified { get; }

    public AccessTokenAuthenticator Authenticator { get; }

    public BrokerUserPoolLogins Logins { get; }

    public UserPoolClient Client { get; }

    public static string PoolIssuer => BrokerUrl + "/" + PoolId;

    public static UserPoolClientSettings Settings(
        int refreshValidity = 30, int? access = null, int? id = null, TokenValidityUnits? units = null, bool revocation = true) =>
        new("app", refreshValidity, access, id, units, ["ALLOW_REFRESH_TOKEN_AUTH"], null, null, null, null, false, "ENABLED", revocation);

    public static UserPoolClient NewClient(string clientId, string? secret, UserPoolClientSettings settings) =>
        new(PoolId, clientId, secret, settings, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    public static TokenGrant Grant(UserPoolClient client, string sub = "sub-alice", GroupClaims? groups = null, DateTimeOffset? authTime = null) =>
        new(client, sub, "alice", new Dictionary<string, string>
        {
            ["sub"] = "ignored",
            ["email"] = "alice@example.com",
            ["email_verified"] = "true",
            ["phone_number_verified"] = "false",
            ["custom:team"] = "ïdentity",
        }, groups ?? Groups(("readers", "arn:aws:iam::000000000000:role/Readers", 5), ("admins", "arn:aws:iam::000000000000:role/Admins", 1),
            ("everyone", null, null)), authTime ?? new DateTimeOffset(2026, 3, 1, 11, 59, 0, TimeSpan.Zero));

    public TokenGrant Grant(string sub = "sub-alice") => Grant(Client, sub);

    /// <summary>The claims of a user in these groups (name, RoleArn, Precedence), as the sign-in flows compute them.</summary>
    public static GroupClaims Groups(params (string Name, string? RoleArn, int? Precedence)[] groups) =>
        GroupRoles.For([.. groups.Select(g => new UserPoolGroup(PoolId, g.Name, null, g.RoleArn, g.Precedence, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch))]);

    /// <summary>Creates the pool and its three clients (plain, with a secret, without revocation).</summary>
    public async Task<UserPoolTokenKit> WithPoolAsync()
    {
        var pool = new UserPool(PoolId, "kit", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + PoolId,
            new UserPoolSettings(new PasswordPolicy(), UserPoolSettings.DeletionProtectionInactive, UserPoolSettings.MfaOff, null, null),
            null, null, Time.GetUtcNow(), Time.GetUtcNow());
        await Store.TryCreateUserPoolAsync(pool, CancellationToken.None);
        await Store.TryCreateClientAsync(Client, CancellationToken.None);
        await Store.TryCreateClientAsync(NewClient(SecretClientId, ClientSecret, Settings()), CancellationToken.None);
        await Store.TryCreateClientAsync(NewClient(NoRevocationClientId, null, Settings(revocation: false)), CancellationToken.None);
        return this;
    }

    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement.Clone();

    /// <summary>Fails the test's request and counts it: the user-pool token layer reads its keys in process only.</summary>
    internal sealed class RefusingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            throw new HttpRequestException("The user-pool token layer must not fetch anything over HTTP.");
        }
    }
}
