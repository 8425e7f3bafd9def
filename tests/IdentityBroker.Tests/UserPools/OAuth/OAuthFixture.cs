using IdentityBroker.Storage.Sqlite;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.OAuth;

/// <summary>A pool with one public and one confidential OAuth client in a SQLite store of its own, and a fixed clock.</summary>
internal sealed class OAuthFixture : IAsyncDisposable
{
    public const string Callback = "https://app.example/callback";

    private readonly string _directory = Directory.CreateTempSubdirectory("oauth-").FullName;

    private OAuthFixture(FakeTimeProvider time) => Time = time;

    public FakeTimeProvider Time { get; }

    public SqliteBrokerStore Store { get; private set; } = null!;

    public UserPool Pool { get; private set; } = null!;

    public UserPoolClient Public { get; private set; } = null!;

    public UserPoolClient Confidential { get; private set; } = null!;

    public static async Task<OAuthFixture> CreateAsync()
    {
        var fixture = new OAuthFixture(new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        fixture.Store = new SqliteBrokerStore(Path.Combine(fixture._directory, "broker.db"));
        var now = fixture.Time.GetUtcNow();
        fixture.Pool = new UserPool("us-east-1_oauthTest1", "oauth", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_oauthTest1",
            new UserPoolSettings(PasswordPolicy.Default, UserPoolSettings.DeletionProtectionInactive, UserPoolSettings.MfaOff, null, null), null, null, now, now);
        await fixture.Store.TryCreateUserPoolAsync(fixture.Pool, CancellationToken.None);
        var settings = new UserPoolClientSettings("web", 30, null, null, null, null, [Callback], ["https://app.example/bye"], ["code", "implicit"],
            ["openid", "email", "https://api.example.com/read"], true, "ENABLED", true) { SupportedIdentityProviders = ["COGNITO"] };
        fixture.Public = new UserPoolClient(fixture.Pool.Id, "publicclient00000000000001", null, settings, now, now);
        fixture.Confidential = new UserPoolClient(fixture.Pool.Id, "confidential0000000000001", "secret", settings with { ClientName = "server" }, now, now);
        await fixture.Store.TryCreateClientAsync(fixture.Public, CancellationToken.None);
        await fixture.Store.TryCreateClientAsync(fixture.Confidential, CancellationToken.None);
        return fixture;
    }

    /// <summary>A valid code request of the public client with PKCE; each test changes one thing.</summary>
    public static AuthorizeRequest ValidRequest(string clientId) =>
        new(clientId, Callback, AuthorizeRequest.Code, ["openid", "email"], "state-1", "nonce-1", Pkce.Challenge(Verifier), AuthorizeRequests.S256);

    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Task.CompletedTask;
        Directory.Delete(_directory, recursive: true);
    }
}
